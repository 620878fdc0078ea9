// Beast lives only in this translation unit: it is slow to compile.
#include <utility>  // before Asio: Boost 1.74 + GCC 12 + C++20 needs it

#include "platform/http/server.hpp"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <optional>
#include <spdlog/spdlog.h>
#include <thread>
#include <unordered_map>

namespace kam::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

class Session;

struct Shared {
  ServerOptions options;
  RequestHandler handler;
  net::thread_pool* workers = nullptr;
  std::atomic<bool> stopping{false};
  std::mutex sessions_mutex;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
};

Request to_request(bhttp::request<bhttp::string_body>&& message, const std::string& remote) {
  Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  for (const auto& field : message) {
    request.headers[std::string(field.name_string())] = std::string(field.value());
  }
  request.body = std::move(message.body());
  request.remote_address = remote;
  parse_target(request);
  return request;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Shared& shared) : stream_(std::move(socket)), shared_(shared) {
    beast::error_code ec;
    const auto endpoint = stream_.socket().remote_endpoint(ec);
    remote_ = ec ? std::string("?") : endpoint.address().to_string();
  }

  ~Session() {
    std::lock_guard lock(shared_.sessions_mutex);
    shared_.sessions.erase(this);
  }

  void start() {
    {
      std::lock_guard lock(shared_.sessions_mutex);
      shared_.sessions[this] = weak_from_this();
    }
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_header(); });
  }

  // Called on shutdown: idle connections close now, busy ones after their reply.
  void close_if_idle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) {
        beast::error_code ec;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->stream_.socket().close(ec);
      }
    });
  }

 private:
  void read_header() {
    if (shared_.stopping) return close();
    parser_.emplace();
    parser_->header_limit(64 * 1024);
    parser_->body_limit(shared_.options.body_limit);
    idle_ = true;
    stream_.expires_after(shared_.options.read_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, std::size_t) {
                               self->on_header(ec);
                             });
  }

  void on_header(beast::error_code ec) {
    idle_ = false;
    started_ = std::chrono::steady_clock::now();
    if (ec == bhttp::error::header_limit) return reject(431, "request headers too large");
    // Beast checks a declared Content-Length against the limit while parsing the header.
    if (ec == bhttp::error::body_limit) {
      return reject(413, "the request body is larger than the limit of " +
                             std::to_string(shared_.options.body_limit / (1024 * 1024)) + " MB");
    }
    if (ec) return close();
    const auto length = parser_->content_length();
    if (length && *length > shared_.options.body_limit) {
      return reject(413, "the request body is larger than the limit of " +
                             std::to_string(shared_.options.body_limit / (1024 * 1024)) + " MB");
    }
    // A body of up to the limit gets its own deadline, longer than an idle wait.
    stream_.expires_after(2 * shared_.options.read_timeout);
    bhttp::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec2, std::size_t) {
      self->on_body(ec2);
    });
  }

  void on_body(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      return reject(413, "the request body is larger than the limit of " +
                             std::to_string(shared_.options.body_limit / (1024 * 1024)) + " MB");
    }
    if (ec) return close();
    keep_alive_ = parser_->get().keep_alive();
    version_ = parser_->get().version();
    auto request = std::make_shared<Request>(to_request(parser_->release(), remote_));
    // The work guard keeps the I/O loop alive while the worker runs, so a
    // graceful shutdown still delivers this reply.
    net::post(*shared_.workers, [self = shared_from_this(), request,
                                 guard = net::make_work_guard(stream_.get_executor())] {
      Response response;
      try {
        response = self->shared_.handler(*request);
      } catch (const std::exception& e) {
        spdlog::error("unhandled error in {} {}: {}", request->method, request->path, e.what());
        response = problem(Error(Error::Code::internal, "internal error"));
      }
      net::post(self->stream_.get_executor(),
                [self, request, response = std::move(response)]() mutable {
                  self->write(*request, std::move(response));
                });
    });
  }

  void reject(int status, const std::string& detail) {
    Response response = problem(Error(Error::Code::bad_request, detail));
    response.status = status;
    Json body = Json::parse(response.body);
    body["status"] = status;
    body["title"] = status == 413 ? "Payload Too Large" : "Request Header Fields Too Large";
    response.body = body.dump();
    keep_alive_ = false;
    drain_after_write_ = true;
    Request request;
    if (parser_) {
      request.method = std::string(parser_->get().method_string());
      request.target = std::string(parser_->get().target());
      version_ = parser_->get().version();
    }
    write(request, std::move(response));
  }

  template <typename Body>
  void finish_message(bhttp::response<Body>& message, const Response& response) {
    message.version(version_);
    message.keep_alive(keep_alive_ && !shared_.stopping);
    message.set(bhttp::field::server, "kam");
    if (!response.content_type.empty()) message.set(bhttp::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) message.insert(name, value);
  }

  void write(const Request& request, Response response) {
    const int status = response.status;
    std::size_t bytes = response.body.size();
    auto log = [this, &request, status, &bytes] {
      if (!shared_.options.access_log) return;
      const auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_);
      spdlog::info("{} \"{} {}\" {} {} {:.1f}ms", remote_, request.method,
                   request.path.empty() ? request.target.substr(0, request.target.find('?')) : request.path, status,
                   bytes, elapsed.count());
    };
    if (!response.file_path.empty()) {
      bhttp::file_body::value_type file;
      beast::error_code ec;
      file.open(response.file_path.c_str(), beast::file_mode::scan, ec);
      if (!ec) {
        auto message = std::make_shared<bhttp::response<bhttp::file_body>>(
            std::piecewise_construct, std::make_tuple(std::move(file)),
            std::make_tuple(static_cast<bhttp::status>(status), version_));
        finish_message(*message, response);
        message->prepare_payload();
        bytes = message->body().size();
        log();
        stream_.expires_after(shared_.options.read_timeout);
        bhttp::async_write(stream_, *message,
                           [self = shared_from_this(), message](beast::error_code ec2, std::size_t) {
                             self->after_write(ec2, message->keep_alive());
                           });
        return;
      }
      response = problem(Error::not_found("file"));
    }
    auto message = std::make_shared<bhttp::response<bhttp::string_body>>(static_cast<bhttp::status>(response.status),
                                                                         version_);
    finish_message(*message, response);
    if (request.method != "HEAD") message->body() = std::move(response.body);
    message->prepare_payload();
    log();
    stream_.expires_after(shared_.options.read_timeout);
    bhttp::async_write(stream_, *message, [self = shared_from_this(), message](beast::error_code ec, std::size_t) {
      self->after_write(ec, message->keep_alive());
    });
  }

  void after_write(beast::error_code ec, bool keep_alive) {
    if (ec) return close();
    if (drain_after_write_) return drain();
    if (!keep_alive) return close();
    read_header();
  }

  // After an early 413 the client is usually still sending; read and discard
  // for a while so it sees our answer instead of a reset connection.
  void drain() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (!drain_deadline_set_) {
      drain_deadline_set_ = true;
      stream_.expires_after(std::chrono::seconds(10));
    }
    drain_buffer_.resize(64 * 1024);
    stream_.async_read_some(net::buffer(drain_buffer_),
                            [self = shared_from_this()](beast::error_code ec2, std::size_t) {
                              if (ec2) return self->close();
                              self->drain();
                            });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  Shared& shared_;
  std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::chrono::steady_clock::time_point started_;
  bool keep_alive_ = false;
  unsigned version_ = 11;
  bool idle_ = false;
  bool drain_after_write_ = false;
  bool drain_deadline_set_ = false;
  std::vector<char> drain_buffer_;
};

}  // namespace

struct Server::Impl {
  Impl(ServerOptions options, RequestHandler handler)
      : io(options.io_threads), acceptor(io), signals(io, SIGINT, SIGTERM), workers(
                                                                                static_cast<std::size_t>(options.workers)) {
    shared.options = std::move(options);
    shared.handler = std::move(handler);
    shared.workers = &workers;
  }

  void accept() {
    acceptor.async_accept(net::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (!acceptor.is_open()) return;
        spdlog::warn("accept failed: {}", ec.message());
      } else {
        std::make_shared<Session>(std::move(socket), shared)->start();
      }
      if (acceptor.is_open()) accept();
    });
  }

  void begin_shutdown() {
    if (shared.stopping.exchange(true)) return;
    spdlog::info("shutting down: no new connections, finishing requests in flight");
    beast::error_code ec;
    acceptor.close(ec);
    signals.cancel(ec);
    std::vector<std::shared_ptr<Session>> live;
    {
      std::lock_guard lock(shared.sessions_mutex);
      for (auto& [raw, weak] : shared.sessions) {
        if (auto s = weak.lock()) live.push_back(std::move(s));
      }
    }
    for (auto& s : live) s->close_if_idle();
  }

  net::io_context io;
  tcp::acceptor acceptor;
  net::signal_set signals;
  net::thread_pool workers;
  Shared shared;
};

Server::Server(ServerOptions options, RequestHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() = default;

void Server::listen() {
  const auto& options = impl_->shared.options;
  const auto address = net::ip::make_address(options.host);
  const tcp::endpoint endpoint(address, options.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol());
  acceptor.set_option(net::socket_base::reuse_address(true));
  beast::error_code ec;
  acceptor.bind(endpoint, ec);
  if (ec) throw std::runtime_error("cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " + ec.message());
  acceptor.listen(net::socket_base::max_listen_connections);
}

unsigned short Server::port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::run() {
  auto& impl = *impl_;
  impl.signals.async_wait([&impl](beast::error_code ec, int) {
    if (!ec) impl.begin_shutdown();
  });
  impl.accept();
  std::vector<std::thread> threads;
  for (int i = 1; i < impl.shared.options.io_threads; ++i) threads.emplace_back([&impl] { impl.io.run(); });
  impl.io.run();
  for (auto& t : threads) t.join();
  impl.workers.join();
  spdlog::info("server stopped");
}

void Server::stop() {
  net::post(impl_->io, [this] { impl_->begin_shutdown(); });
}

}  // namespace kam::http

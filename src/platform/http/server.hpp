// The HTTP/1.1 server: Boost.Beast on Asio. A few I/O threads accept and
// read requests asynchronously (idle keep-alive connections cost no thread);
// each complete request runs on a worker pool (blocking database work never
// stalls other connections); the response is written back on the I/O side.
//
// Limits: request bodies over `body_limit` get 413 (the rest of the body is
// drained so the client sees the answer); a client that sends nothing for
// `read_timeout` is disconnected. SIGTERM/SIGINT stop accepting, close idle
// connections, let in-flight requests finish and then return from run().
// Every request is written to the access log.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "platform/http/message.hpp"

namespace kam::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;
  int io_threads = 1;
  int workers = 8;
  std::size_t body_limit = 10 * 1024 * 1024;
  std::chrono::seconds read_timeout{30};
  bool access_log = true;
};

using RequestHandler = std::function<Response(Request&)>;

class Server {
 public:
  Server(ServerOptions options, RequestHandler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds; throws std::runtime_error when the address is taken.
  void listen();
  // The bound port (useful with port 0).
  unsigned short port() const;
  // Serves until SIGTERM or SIGINT (or stop()), then shuts down gracefully.
  void run();
  // Requests a graceful stop from any thread.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kam::http

#include "platform/jobs/jobs.hpp"

#include <unistd.h>

#include <spdlog/spdlog.h>
#include <algorithm>
#include <random>

#include "platform/core/clock.hpp"

namespace kam::jobs {

std::string default_holder_id() {
  char host[256] = {0};
  if (::gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  std::random_device random;
  return std::string(host[0] ? host : "host") + ":" + std::to_string(::getpid()) + ":" +
         std::to_string(random() % 1000000);
}

Lease::Lease(db::Database& database, std::string name, std::string holder)
    : database_(database), name_(std::move(name)), holder_(std::move(holder)) {}

bool Lease::try_acquire(std::chrono::milliseconds ttl) {
  const auto now = std::chrono::system_clock::now();
  const std::string now_text = format_instant(now);
  const std::string expires = format_instant(now + ttl);
  auto c = database_.acquire();
  // The WHERE of DO UPDATE is evaluated against the committed row (PostgreSQL
  // re-checks it after waiting for a concurrent inserter), so only one holder
  // gets a RETURNING row.
  const auto rows = c->query(
      "INSERT INTO job_leases (name, holder, expires_at) VALUES (?, ?, ?) "
      "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at "
      "WHERE job_leases.expires_at < ? OR job_leases.holder = ? RETURNING holder",
      {name_, holder_, expires, now_text, holder_});
  return !rows.empty() && rows.front().text(0) == holder_;
}

void Lease::release() {
  auto c = database_.acquire();
  c->query("UPDATE job_leases SET expires_at = ? WHERE name = ? AND holder = ?",
           {format_instant(std::chrono::system_clock::time_point{}), name_, holder_});
}

JobRunner::JobRunner(db::Database& database, std::string holder) : database_(database), holder_(std::move(holder)) {}

JobRunner::~JobRunner() {
  stop();
}

void JobRunner::add(std::string name, std::chrono::milliseconds interval, Function function,
                    std::chrono::milliseconds first_delay) {
  std::lock_guard lock(mutex_);
  jobs_.push_back({std::move(name), interval, std::move(function), std::chrono::steady_clock::now() + first_delay});
}

void JobRunner::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  const auto now = std::chrono::steady_clock::now();
  for (auto& job : jobs_) job.next_run = std::max(job.next_run, now);
  thread_ = std::thread([this] { loop(); });
}

void JobRunner::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool JobRunner::run_job(Job& job) {
  Lease lease(database_, job.name, holder_);
  try {
    if (!lease.try_acquire(job.interval)) return false;
    job.function(database_);
    return true;
  } catch (const std::exception& e) {
    spdlog::error("job {} failed: {}", job.name, e.what());
    return false;
  }
}

bool JobRunner::run_once(const std::string& name) {
  std::unique_lock lock(mutex_);
  for (auto& job : jobs_) {
    if (job.name != name) continue;
    Job copy = job;
    lock.unlock();
    return run_job(copy);
  }
  return false;
}

void JobRunner::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    auto now = std::chrono::steady_clock::now();
    auto next = now + std::chrono::hours(1);
    for (std::size_t i = 0; i < jobs_.size() && !stopping_; ++i) {
      if (jobs_[i].next_run <= now) {
        Job copy = jobs_[i];
        jobs_[i].next_run = now + jobs_[i].interval;
        lock.unlock();
        run_job(copy);  // outside the lock: stop() must not wait for it to take the mutex
        lock.lock();
        now = std::chrono::steady_clock::now();
      }
      next = std::min(next, jobs_[i].next_run);
    }
    if (stopping_) break;
    wake_.wait_until(lock, next, [this] { return stopping_; });
  }
}

}  // namespace kam::jobs

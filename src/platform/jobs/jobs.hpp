// Background jobs shared by several servers: a database lease so that exactly
// one server runs a job per interval, and a runner thread that runs the
// registered jobs. No domain words here: a job is a name, an interval and a
// function; modules register theirs (e.g. the customer-pool recovery).
//
// Lease: a row of job_leases (name, holder, expires_at). Acquiring it is one
// statement, INSERT ... ON CONFLICT (name) DO UPDATE ... WHERE the row has
// expired or is already ours, so on both back ends two servers racing for an
// expired lease cannot both win. A lease taken for a run is kept until
// `interval` has passed: the row doubles as "the job last ran at ...", so the
// cluster runs each job once per interval whatever the number of servers.
//
// Thread safety: a Lease is used by one thread at a time; JobRunner's public
// functions may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "platform/db/database.hpp"

namespace kam::jobs {

// A name for this process as a lease holder: host name, pid and a random part.
std::string default_holder_id();

class Lease {
 public:
  Lease(db::Database& database, std::string name, std::string holder);

  // Takes the lease until now + ttl if it is free, expired or already ours.
  // Returns whether this holder now holds it. Throws DbError on faults.
  bool try_acquire(std::chrono::milliseconds ttl);
  // Gives the lease up at once (if we hold it) so another holder may take it.
  void release();

  const std::string& name() const { return name_; }
  const std::string& holder() const { return holder_; }

 private:
  db::Database& database_;
  std::string name_;
  std::string holder_;
};

// Runs registered jobs on one background thread. Each job, when its interval
// has passed, takes its lease (ttl = interval) and runs only if it got it.
// A job's exception is logged and does not stop the runner.
class JobRunner {
 public:
  using Function = std::function<void(db::Database&)>;

  JobRunner(db::Database& database, std::string holder);
  ~JobRunner();  // stops
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  // Register before start(). The first run is due `first_delay` after start.
  void add(std::string name, std::chrono::milliseconds interval, Function function,
           std::chrono::milliseconds first_delay = std::chrono::milliseconds(0));

  void start();
  // Wakes the thread, waits for a running job to finish and joins. Idempotent.
  void stop();

  // Runs one job now on the calling thread if its lease can be taken;
  // returns whether it ran. For tests and manual triggers.
  bool run_once(const std::string& name);

  const std::string& holder() const { return holder_; }

 private:
  struct Job {
    std::string name;
    std::chrono::milliseconds interval;
    Function function;
    std::chrono::steady_clock::time_point next_run;
  };
  void loop();
  bool run_job(Job& job);

  db::Database& database_;
  std::string holder_;
  std::vector<Job> jobs_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace kam::jobs

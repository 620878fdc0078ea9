// Leases and the job runner against both back ends: one holder at a time,
// expiry hands the lease over, two runners run a job once per interval, and
// the runner thread runs jobs and stops promptly.
#include "platform/jobs/jobs.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "testing/test_database.hpp"

namespace kam::jobs {
namespace {

using namespace std::chrono_literals;

class JobsTest : public testdb::MigratedTest {
 protected:
  int pool_size() const override { return 8; }
};

TEST_P(JobsTest, OneHolderAtATime) {
  if (!ready()) return;
  Lease first(database(), "job", "server-1");
  Lease second(database(), "job", "server-2");
  EXPECT_TRUE(first.try_acquire(60s));
  EXPECT_FALSE(second.try_acquire(60s));
  EXPECT_TRUE(first.try_acquire(60s)) << "the holder renews its own lease";
  first.release();
  EXPECT_TRUE(second.try_acquire(60s));
  EXPECT_FALSE(first.try_acquire(60s));
  Lease other_job(database(), "another job", "server-1");
  EXPECT_TRUE(other_job.try_acquire(60s)) << "leases are per job";
}

TEST_P(JobsTest, AnExpiredLeaseIsTakenOver) {
  if (!ready()) return;
  Lease first(database(), "job", "server-1");
  Lease second(database(), "job", "server-2");
  EXPECT_TRUE(first.try_acquire(1ms));
  std::this_thread::sleep_for(20ms);
  EXPECT_TRUE(second.try_acquire(60s));
  EXPECT_FALSE(first.try_acquire(60s));
}

TEST_P(JobsTest, RacingHoldersExactlyOneWins) {
  if (!ready()) return;
  for (int round = 0; round < 5; ++round) {
    std::atomic<int> wins{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 6; ++i) {
      threads.emplace_back([&, i] {
        Lease lease(database(), "race" + std::to_string(round), "server-" + std::to_string(i));
        if (lease.try_acquire(60s)) ++wins;
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(wins.load(), 1) << "round " << round;
  }
}

TEST_P(JobsTest, TwoRunnersRunAJobOncePerInterval) {
  if (!ready()) return;
  std::atomic<int> runs{0};
  auto count = [&](db::Database&) { ++runs; };
  JobRunner one(database(), "server-1");
  JobRunner two(database(), "server-2");
  one.add("tick", 1h, count);
  two.add("tick", 1h, count);
  EXPECT_TRUE(one.run_once("tick"));
  EXPECT_FALSE(two.run_once("tick"));
  EXPECT_EQ(runs.load(), 1);
  EXPECT_FALSE(two.run_once("unknown"));
}

TEST_P(JobsTest, TheRunnerThreadRunsJobsAndStops) {
  if (!ready()) return;
  std::atomic<int> runs{0};
  std::atomic<int> failing{0};
  JobRunner runner(database(), "server-1");
  runner.add("fast", 30ms, [&](db::Database&) { ++runs; });
  runner.add("throws", 30ms, [&](db::Database&) {
    ++failing;
    throw std::runtime_error("boom");
  });
  runner.start();
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while ((runs.load() < 3 || failing.load() < 2) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  const auto started = std::chrono::steady_clock::now();
  runner.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1s) << "stop wakes the thread";
  EXPECT_GE(runs.load(), 3);
  EXPECT_GE(failing.load(), 2) << "a failing job keeps being scheduled";
  const int after_stop = runs.load();
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(runs.load(), after_stop);
}

INSTANTIATE_TEST_SUITE_P(Backends, JobsTest, testdb::kBackends, testdb::backend_name);

}  // namespace
}  // namespace kam::jobs

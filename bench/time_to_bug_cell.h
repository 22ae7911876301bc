// One cell of the time-to-bug table (bench/time_to_bug.cc): the attempts of one strategy on one
// scenario, one per seed, each capped in time, summarised by medians. A miss (not found within
// the cap, or never run because the median was already a miss) counts as infinitely slow, so the
// median is a miss exactly when at least half the seeds missed.
#ifndef WVSIM_BENCH_TIME_TO_BUG_CELL_H_
#define WVSIM_BENCH_TIME_TO_BUG_CELL_H_

#include <string>
#include <vector>

namespace wvsim::bench {

struct Attempt {
  bool found = false;
  double executions = 0;
  double seconds = 0;
};

// "12.5 us", "3.4 ms", "1.25 s".
std::string SecondsText(double seconds);

class TimeToBugCell {
 public:
  explicit TimeToBugCell(int seeds) : seeds_(seeds) {}

  void Add(const Attempt& attempt) { attempts_.push_back(attempt); }
  int seeds() const { return seeds_; }
  int attempts() const { return static_cast<int>(attempts_.size()); }
  int found() const;
  // Whether enough seeds missed that the median is a miss whatever the others do: the rest of
  // the seeds need not run.
  bool MedianMissed() const;
  // Medians over all seeds (misses and seeds not run are infinite).
  double MedianExecutions() const;
  double MedianSeconds() const;
  // "812 / 420.0 ms", with "(17/20)" when some seeds missed, or "> 60 s (3/20)".
  std::string Text(double cap_seconds) const;

 private:
  double Median(double Attempt::*field) const;

  int seeds_;
  std::vector<Attempt> attempts_;
};

}  // namespace wvsim::bench

#endif  // WVSIM_BENCH_TIME_TO_BUG_CELL_H_

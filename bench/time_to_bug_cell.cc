#include "bench/time_to_bug_cell.h"

#include <algorithm>
#include <limits>

#include "absl/strings/str_format.h"

namespace wvsim::bench {

int TimeToBugCell::found() const {
  return static_cast<int>(
      std::count_if(attempts_.begin(), attempts_.end(), [](const Attempt& a) { return a.found; }));
}

bool TimeToBugCell::MedianMissed() const {
  // The median is element seeds/2 of the sorted values (as bench/figures.cc takes it): a miss
  // once seeds - seeds/2 values are infinite.
  const int missed = static_cast<int>(attempts_.size()) - found();
  return missed >= seeds_ - seeds_ / 2;
}

double TimeToBugCell::Median(double Attempt::*field) const {
  std::vector<double> values(static_cast<size_t>(seeds_), std::numeric_limits<double>::infinity());
  size_t next = 0;
  for (const Attempt& attempt : attempts_) {
    if (attempt.found && next < values.size()) values[next++] = attempt.*field;
  }
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

double TimeToBugCell::MedianExecutions() const { return Median(&Attempt::executions); }
double TimeToBugCell::MedianSeconds() const { return Median(&Attempt::seconds); }

std::string SecondsText(double seconds) {
  if (seconds < 1e-3) return absl::StrFormat("%.1f us", seconds * 1e6);
  if (seconds < 1) return absl::StrFormat("%.1f ms", seconds * 1e3);
  return absl::StrFormat("%.2f s", seconds);
}

std::string TimeToBugCell::Text(double cap_seconds) const {
  const int hits = found();
  if (MedianMissed()) return absl::StrFormat("> %.0f s (%d/%d)", cap_seconds, hits, seeds_);
  std::string text = absl::StrFormat("%.0f / %s", MedianExecutions(), SecondsText(MedianSeconds()));
  if (hits < seeds_) absl::StrAppendFormat(&text, " (%d/%d)", hits, seeds_);
  return text;
}

}  // namespace wvsim::bench

// The bare limit of a scheduling step (issue 2): a loop that resumes one coroutine suspending at
// every step and draws one number from the project's PRNG per step. A kernel step is compared
// against this, measured in the same process.
#ifndef WVSIM_BENCH_BARE_LOOP_H_
#define WVSIM_BENCH_BARE_LOOP_H_

#include <cstdint>

namespace wvsim::bench {

// Runs `steps` steps; returns a checksum so the compiler cannot drop the work.
uint64_t RunBareLoop(uint64_t steps);

}  // namespace wvsim::bench

#endif  // WVSIM_BENCH_BARE_LOOP_H_

// Small programs over the kernel's primitives alone (no runtime model), for DPOR's soundness
// property (dpor_soundness_prop.cc): up to four threads, each a few blocks of shared-variable
// accesses, mutexes (critical sections, and two locks taken in either order), events (manual and
// auto reset), a semaphore, promises, a condition variable with spurious wake-ups (a recorded
// choice), and posts to a thread that runs a message loop.
//
// A program is decoded from a list of small numbers, so that rapidcheck shrinks it by shrinking
// the list: fewer threads, fewer and simpler blocks.
#ifndef WVSIM_PROPS_KERNEL_PROGRAMS_H_
#define WVSIM_PROPS_KERNEL_PROGRAMS_H_

#include <cstdint>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "rapidcheck.h"
#include "sim/scenario.h"
#include "sim/strategy.h"

namespace wvsim::props {

struct KernelBlock {
  enum class Kind : uint8_t {
    kIncrement,  // load x[i], then store what it read plus one (a lost update when raced)
    kStore,      // store `value` into x[i]
    kFetchAdd,   // atomic add of one to x[i]
    kLocked,     // lock m[j], increment x[i], unlock m[j]
    kLockPair,   // lock m[j], lock m[1-j], store into x[i], unlock both (order inversion)
    kSet,        // set event e[j] (e[0] manual reset, e[1] auto reset)
    kWait,       // wait for event e[j]
    kRelease,    // release the semaphore (count 0 at first)
    kAcquire,    // acquire the semaphore
    kPost,       // post a handler that stores `value` into x[i] to the loop thread
    kComplete,   // complete promise p[j]
    kBlockOn,    // block on promise p[j]
    kNotify,     // under m[0]: set the flag x[2], notify one waiter of the condition variable
    kWaitFlag,   // under m[0]: wait on the condition variable while the flag x[2] is 0
    kSleep,      // let `value` ticks of virtual time pass
  };
  Kind kind;
  uint8_t index;  // i or j
  uint8_t value;
};

struct KernelProgram {
  std::vector<std::vector<KernelBlock>> threads;  // 2 to 4, each 1 to 3 blocks
  bool has_loop = false;                          // some block posts to the loop thread
};

// Decodes a program from `genes` (any values; too few mean a smaller program).
KernelProgram DecodeKernelProgram(const std::vector<uint8_t>& genes);
rc::Gen<KernelProgram> KernelPrograms();
std::string DescribeKernelProgram(const KernelProgram& program);

// A run's outcome as the soundness property compares them: its verdict and place, and the final
// values of the shared variables (or, for a model's program, of nothing).
using RunResult = std::tuple<sim::Verdict, std::string, std::vector<int64_t>>;

// Every distinct result `strategy` reaches, run until it has nothing left or `cap` runs;
// `exhausted` says which. A model's program (a scenario) has no variables to compare.
struct Reached {
  std::set<RunResult> results;
  uint64_t runs = 0;
  bool exhausted = false;
};
Reached ReachAll(const KernelProgram& program, sim::Strategy& strategy, uint64_t cap);
Reached ReachAll(const sim::Scenario& scenario, sim::Strategy& strategy, uint64_t cap);

// The soundness property (dpor_soundness_prop.cc): unreduced DFS and DPOR reach the same results
// on `program` (discarded when unreduced DFS does not end within its cap), and DPOR needs no more
// runs.
void CheckDporSoundness(const KernelProgram& program);
// The same for a model's program (a scenario of model/programs/): verdicts and places only.
void CheckDporSoundness(const sim::Scenario& scenario);

// The bounded property (dpor_soundness_prop.cc): DPOR with preemption bound `bound` reaches every
// result dfs with that bound reaches, and nothing an unreduced search does not reach.
void CheckBoundedDporCoverage(const KernelProgram& program, uint32_t bound);
void CheckBoundedDporCoverage(const sim::Scenario& scenario, uint32_t bound);

// For rapidcheck's counterexample report.
void showValue(const KernelProgram& program, std::ostream& os);

}  // namespace wvsim::props

#endif  // WVSIM_PROPS_KERNEL_PROGRAMS_H_

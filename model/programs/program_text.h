// The text form of a Program (program.h), one declaration per line, as a `.schedule` file carries
// it in its `program:` headers:
//
//   runtime android                 (optional first line; WebView2 without it)
//   thread ui pump main=r0
//   routine r0: block w1 r1; navigate
//   handler ScriptDialogOpening r1
//   click r2 1                      (the user's clicks on a button whose handler runs r2)
//
// FormatProgram writes the canonical form; ParseProgram reads it strictly and never crashes: a
// malformed line is InvalidArgument naming the line (1-based, within the program) and the
// problem, and a parsed program is validated (ValidateProgram). Parse(Format(p)) == p.
#ifndef WVSIM_MODEL_PROGRAMS_PROGRAM_TEXT_H_
#define WVSIM_MODEL_PROGRAMS_PROGRAM_TEXT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "model/programs/program.h"

namespace wvsim::model::programs {

std::vector<std::string> FormatProgram(const Program& program);

absl::StatusOr<Program> ParseProgram(const std::vector<std::string>& lines);

// At most this many threads, routines, ops per routine and handlers: bounds a parser's work.
inline constexpr size_t kProgramThreadsMax = 16;
inline constexpr size_t kProgramRoutinesMax = 256;
inline constexpr size_t kProgramOpsMax = 64;
inline constexpr size_t kProgramHandlersMax = 16;

}  // namespace wvsim::model::programs

#endif  // WVSIM_MODEL_PROGRAMS_PROGRAM_TEXT_H_

// The rapidcheck side of ChoiceSequence: its generator and how a counterexample prints.
#include <algorithm>
#include <utility>

#include "wvsim/testing.h"

namespace wvsim::testing {

namespace {

// rapidcheck's size runs from 0 to 100 by default; a container's length is at most its size.
constexpr double kRapidcheckSizeMax = 100.0;

}  // namespace

rc::Gen<ChoiceSequence> Schedules(size_t choices_max) {
  const double scale = static_cast<double>(choices_max) / kRapidcheckSizeMax;
  return rc::gen::map(rc::gen::scale(scale, rc::gen::container<std::vector<uint8_t>>(
                                                rc::gen::arbitrary<uint8_t>())),
                      [choices_max](std::vector<uint8_t> bytes) {
                        // A user's larger max_size must not make sequences longer than asked.
                        if (bytes.size() > choices_max) bytes.resize(choices_max);
                        return ChoiceSequence{std::move(bytes)};
                      });
}

void showValue(const ChoiceSequence& choices, std::ostream& os) {
  os << "ChoiceSequence of " << choices.bytes.size() << " bytes {";
  for (size_t i = 0; i < choices.bytes.size(); ++i) {
    os << (i == 0 ? "" : ", ") << static_cast<int>(choices.bytes[i]);
  }
  os << "}";
}

}  // namespace wvsim::testing

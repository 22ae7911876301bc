#include "model/framework/user.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "model/framework/planted_defects.h"

namespace wvsim::model::framework {

User& User::Create(sim::Kernel& kernel, sim::Thread ui) { return kernel.Make<User>(kernel, ui); }

void User::Declare(std::string label, int count, absl::AnyInvocable<sim::Task<>()> handler,
                   bool closes) {
  WVSIM_ASSERT_MSG(!started_ && count > 0, "inputs are declared, with a count, before Start");
  inputs_.push_back(Input{std::move(label), count, std::move(handler), closes});
}

void User::Click(std::string control, int count, absl::AnyInvocable<sim::Task<>()> handler) {
  Declare(absl::StrCat("click ", control), count, std::move(handler), false);
}

void User::PressKey(std::string control, std::string key, int count,
                    absl::AnyInvocable<sim::Task<>()> handler) {
  Declare(absl::StrCat("key ", key, " in ", control), count, std::move(handler), false);
}

void User::Resize(std::string window, int count, absl::AnyInvocable<sim::Task<>()> handler) {
  Declare(absl::StrCat("resize ", window), count, std::move(handler), false);
}

void User::CloseWindow(std::string window, absl::AnyInvocable<sim::Task<>()> handler) {
  Declare(absl::StrCat("close ", window), 1, std::move(handler), true);
}

void User::Start() {
  WVSIM_ASSERT_MSG(!started_, "the user starts once");
  started_ = true;
  kernel_.Spawn("user", Act());
}

sim::Task<> User::Act() {
  if (TestOnlyFrameworkPlantedDefects().user_inputs_dropped) co_return;
  std::vector<Input*> left;
  for (Input& input : inputs_) left.push_back(&input);
  while (!left.empty()) {
    const uint32_t next = left.size() == 1 ? 0
                                           : kernel_.Choose(sim::ChoiceKind::kValue,
                                                            static_cast<uint32_t>(left.size()),
                                                            "user: which input comes next");
    Input& input = *left[next];
    const std::string timing = absl::StrCat("user: ", input.label, " at once (0) or once idle (1)");
    if (kernel_.Choose(sim::ChoiceKind::kValue, 2, timing) == 1) {
      co_await kernel_.Sleep(1);  // virtual time passes only once no thread can take a step
    }
    absl::AnyInvocable<sim::Task<>()> deliver = [&input] { return input.handler(); };
    co_await kernel_.Post(ui_, input.label, std::move(deliver));
    if (input.closes) co_return;  // the window is going away: nothing more to click on
    if (--input.left == 0) left.erase(left.begin() + next);
  }
}

}  // namespace wvsim::model::framework

// The call helpers of commands.h that are not templates.
#include "tools/pdpsctl/commands.h"

#include "absl/strings/str_cat.h"
#include "common/server.h"

namespace pdps::ctl {

Stub& StubOf(Env& env, Stub*) { return *env.stub; }
RStub& StubOf(Env& env, RStub*) { return *env.referrals; }
WStub& StubOf(Env& env, WStub*) { return *env.workforce; }

int Fail(const std::string& message) {
  cli::PrintError(absl::StrCat("pdpsctl: ", message, "\n"));
  return 2;
}

int Report(const grpc::Status& st) {
  std::string text =
      cli::ErrorText(server::CodeName(st.error_code()), st.error_message(), st.error_details());
  cli::PrintError(text);
  return 1;
}

void RequireOptionsRead(Env& env) {
  if (env.options_checked) return;
  env.options_checked = true;
  std::vector<std::string> unknown = cli::RefusedOptions(env.args, env.command);
  if (!unknown.empty()) throw RefusedOptions{std::move(unknown)};
}

int Print(const Env& env, const google::protobuf::Message& resp,
          const std::vector<std::string>& columns) {
  if (env.json) return cli::PrintJson(resp) ? 0 : 1;
  cli::PrintTable(resp, columns, env.names.get());
  return 0;
}

std::string Id(const Args& a) { return a.words.size() > 2 ? a.words[2] : ""; }

bool PoundsFlag(const Args& a, const std::string& k,
                const std::function<pdps::common::v1::Money*()>& money, bool rate) {
  if (!a.Has(k)) return true;
  int64_t pence = 0;
  std::string error;
  if (!cli::ParsePounds(a.Get(k), &pence, &error, rate)) {
    Fail(absl::StrCat("--", k, "=", a.Get(k), " ", error));
    return false;
  }
  money()->set_pence(pence);
  return true;
}

}  // namespace pdps::ctl

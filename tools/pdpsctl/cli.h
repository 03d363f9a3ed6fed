// Small helpers of pdpsctl: argument parsing, printing protos as tables or JSON.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <google/protobuf/message.h>

namespace pdps::cli {

// "--name=value" and "--flag" options, and positional words. Every option asked about
// (Has, Get, List) is remembered, whether given or not: an option given that nothing
// asked about is one the command does not know (a misspelling, another command's), and
// pdpsctl refuses it before sending anything rather than silently ignore it.
struct Args {
  // The last value of each option given, and (repeats) every value, in order.
  std::map<std::string, std::string> options;
  std::map<std::string, std::vector<std::string>> repeats;
  std::vector<std::string> words;
  bool Has(const std::string& k) const {
    read_.insert(k);
    return options.count(k) > 0;
  }
  std::string Get(const std::string& k, const std::string& def = "") const {
    read_.insert(k);
    auto it = options.find(k);
    return it == options.end() ? def : it->second;
  }
  // A whole number, or `def` if the option is not given. A value that is not one
  // ("--workers=five") returns `def` and is remembered: pdpsctl refuses it before
  // sending anything, as it refuses an unknown option, rather than send 0.
  int Int(const std::string& k, int def) const;
  int64_t Int64(const std::string& k, int64_t def) const;
  // Comma-separated list; an option given more than once (--action=A --action=B) is
  // the list of every value given.
  std::vector<std::string> List(const std::string& k) const;
  // The options given that nothing has asked about yet, in name order.
  std::vector<std::string> Unread() const;
  // The option asked about that `unknown` is a likely misspelling of, or "" if none or
  // several are as close.
  std::string Nearest(const std::string& unknown) const;

 private:
  // Mutable: commands read options through const Args, and remembering a read changes
  // no option.
  mutable std::set<std::string> read_;
  mutable std::set<std::string> not_whole_numbers_;
  friend std::vector<std::string> RefusedOptions(const Args& a, const std::string& command);
};
Args Parse(int argc, char** argv);
// One line for each option `a` was given but never asked about, as
// `unknown option --overdu for "complaints list"; did you mean --overdue?`, and for
// each read with Int whose value is not a whole number; none if every option was read
// and every number parsed.
std::vector<std::string> RefusedOptions(const Args& a, const std::string& command);

// Prints a message as JSON (one object, pretty) to stdout. An Any of a type pdpsctl does
// not know prints as {"@type": URL, "value": BASE64 of the bytes}. On any other failure
// prints nothing to stdout, reports to stderr and returns false.
[[nodiscard]] bool PrintJson(const google::protobuf::Message& m);

// The display names of organisations, for tables that show their ids: each id is looked
// up once per run, however many rows and tables name it.
class OrgNames {
 public:
  // An organisation's display name, or nullopt if the caller cannot read it.
  using Lookup = std::function<std::optional<std::string>(const std::string& id)>;
  explicit OrgNames(Lookup lookup) : lookup_(std::move(lookup)) {}
  // The display name of organisation `id`; `id` itself when it is not a UUID ("system",
  // "") or cannot be read.
  std::string Label(const std::string& id);

 private:
  Lookup lookup_;
  std::map<std::string, std::optional<std::string>> cache_;
};

// Prints the items of a list response's first repeated message field as a table; for a
// single message prints "field: value" lines, nested messages as "parent.field: value",
// then its history (pdps.common.v1.Transition), if any, as a table.
// `columns` chooses a list's columns by field path ("id", "referral.area", headed ID and
// AREA), "path=HEADER" to name the header ("dbs.certificate_date=DBS_DATE"), and
// "path:name" for the display name of the organisation whose id is at path
// ("provider_id:name=PROVIDER"). Empty: every scalar, money, date and time field of the
// item, each organisation id followed by its name (unless the item has a display_name
// of its own). Names are looked up through `names`; without it, name columns show ids.
void PrintTable(const google::protobuf::Message& m, const std::vector<std::string>& columns = {},
                OrgNames* names = nullptr);

// Amounts are printed with money::FormatPounds (common/money.h), as the services word them.
// An amount in pounds: "24.50", "£24.50", "£5,000,000", "-£1,200.00"; a bare whole
// number ("2450") is refused, as it meant pence before pdpsctl read pounds (decision
// 0054). With `above_zero` (a rate), a negative or zero amount is refused as such, before
// the whole-number hint, which would suggest a negative amount to write. False with
// `error` set (what is wrong, for "--rate=TEXT " + error).
bool ParsePounds(const std::string& text, int64_t* pence, std::string* error,
                 bool above_zero = false);
// `text` (a service's message) with each "N pence" written as pounds: "a maximum price of
// 2600 pence an hour" reads "a maximum price of £26.00 an hour".
std::string PoundsInText(const std::string& text);
// A share in basis points as a percentage: 10000 is "100 %", 3333 is "33.33 %".
std::string Percent(int64_t basis_points);

// Writes `text` to stderr once everything printed to stdout so far is flushed, so that
// in a script's combined output an error never appears above what came before it.
void PrintError(const std::string& text);

// The text of a failed call for stderr: "error: CODE: message", then each field
// violation and the request id of `details` (a serialized google.rpc.Status). A sole
// violation the message already is ("field: description") is not repeated.
std::string ErrorText(const std::string& code, const std::string& message,
                      const std::string& details);

// Reads a file ("-" for stdin) into `out`.
bool ReadFile(const std::string& path, std::string* out);

}  // namespace pdps::cli

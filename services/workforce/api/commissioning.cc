// Commissioning checks.
#include "services/workforce/api/commissioning.h"

#include "absl/strings/ascii.h"
#include "common/status.h"

namespace pdps::workforce {

absl::Status CommissioningCheck::Require(const server::Call& c, const std::string& framework_id,
                                         const std::string& provider_id) const {
  if (registry_ == nullptr) return absl::OkStatus();
  const std::string framework = absl::AsciiStrToLower(framework_id);
  ASSIGN_OR_RETURN(auto members, registry_->FrameworkMembers(framework));
  if (members.count(absl::AsciiStrToLower(c.principal.organisation_id)) == 0) {
    return absl::PermissionDeniedError(
        "only commissioners of the partnership that owns the framework may do this");
  }
  if (!provider_id.empty()) {
    ASSIGN_OR_RETURN(bool admitted,
                     registry_->HasAdmission(absl::AsciiStrToLower(provider_id), framework));
    if (!admitted) {
      return absl::FailedPreconditionError("the provider holds no admission on this framework");
    }
  }
  return absl::OkStatus();
}

}  // namespace pdps::workforce

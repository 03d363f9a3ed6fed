// London civil times for tests.
#include "common/testing/london.h"

#include "absl/time/civil_time.h"
#include "common/dates.h"

namespace pdps::testing {

absl::Time London(int y, int mo, int d, int h, int mi, int s) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), dates::London());
}

}  // namespace pdps::testing

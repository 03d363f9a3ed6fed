// Test support: instants written as a London clock shows them (GMT or BST as the day
// falls), the way the seeds and the rules state times.
#pragma once

#include "absl/time/time.h"

namespace pdps::testing {

// y-mo-d h:mi:s in Europe/London as an instant.
absl::Time London(int y, int mo, int d, int h, int mi, int s = 0);

}  // namespace pdps::testing

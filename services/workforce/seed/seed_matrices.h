// The training matrices of the seed frameworks exactly as their specifications give
// them, as plain structs for tests and the demo loader (which maps framework and lot
// keys to registry ids and calls CreateTrainingMatrix).
//
// A competency with no stated frequency has renewal 0 (no renewal): the specification
// asks for the training, not for its refresh. Asterisked items ("additional training
// may be required depending on the needs of the child", seed 000) are conditional.
#pragma once

#include <string>
#include <vector>

#include "services/workforce/domain/rules.h"

namespace pdps::workforce::domain {

struct SeedMatrix {
  std::string framework;  // "lewisham", "cambridgeshire_peterborough", "southwark", "derby"
  std::string lot;        // "A".."D" for Lewisham; "*" where one matrix serves every lot
  std::string title;
  std::string source;  // the seed and section it comes from
  Matrix matrix;       // id and version empty; effective_from as given
};

// Every seed matrix, effective from `effective_from`.
std::vector<SeedMatrix> SeedMatrices(Day effective_from);

}  // namespace pdps::workforce::domain

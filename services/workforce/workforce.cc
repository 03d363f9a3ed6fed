// Workforce assembly.
#include "services/workforce/workforce.h"

#include "common/status.h"

namespace pdps::workforce {

Options ReadOptions(Settings& s) {
  Options o;
  o.holiday_changes_file = s.String("holiday_changes_file", "");
  return o;
}

absl::StatusOr<std::unique_ptr<Workforce>> Assemble(service::Base& base, const Options& options) {
  auto w = std::make_unique<Workforce>();
  calendar::HolidayCalendar holidays = calendar::HolidayCalendar::EnglandAndWales();
  if (!options.holiday_changes_file.empty()) {
    RETURN_IF_ERROR(holidays.LoadChangesFile(options.holiday_changes_file));
  }
  w->store = std::make_unique<Store>(base.pool.get(), std::move(holidays));
  w->api = std::make_unique<WorkforceServiceImpl>(base.gate.get(), w->store.get());
  w->feed = std::make_unique<events::FeedService>(base.gate.get(), base.pool.get(),
                                                  &w->store->outbox());
  base.runner->AddService(w->api.get());
  base.runner->AddService(w->feed.get());
  return w;
}

}  // namespace pdps::workforce

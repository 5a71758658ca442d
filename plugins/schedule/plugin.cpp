// The schedule plugin: the `schedule.function` trigger kind.
#include "schedule_kind.hpp"

MODRT_PLUGIN("schedule", "1.0.0", modrt::provide_trigger<modrt::schedule::ScheduleKind>("schedule.function"))

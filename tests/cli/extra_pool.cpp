// A tiny plugin that lives outside the default plugin directory, so the tests
// can prove --plugin-path and $MODRT_PLUGIN_PATH are what make it visible.
#include <modrt/sdk.hpp>

namespace {

class TaggedPool final : public modrt::Pool {
public:
    TaggedPool(const modrt::Host&, modrt::ValueView) {}
    modrt::Error submit(modrt_task* task) override {
        task->run(task->self);
        return {};
    }
};

}  // namespace

MODRT_PLUGIN("test.extra", "2.3.4", modrt::provide_pool<TaggedPool>("pool.tagged"))

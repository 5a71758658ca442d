// The contract engine (contract_engine.hpp).
#include "contract_engine.hpp"

#include <algorithm>
#include <mutex>

namespace modrt::contract {
namespace {

constexpr std::string_view kDefinitionKind = "contract.definition";
constexpr std::string_view kBindingKind = "contract.binding";

/// A contract.definition entry (data); destroying it removes the contract.
class ContractEntry : public DataEntry {
public:
    ContractEntry(ContractEngine& engine, std::unique_ptr<Contract> c) : engine_(engine), contract_(std::move(c)) {}
    ~ContractEntry() override { engine_.remove(contract_.get()); }

private:
    ContractEngine& engine_;
    std::unique_ptr<Contract> contract_;
};

/// A contract.binding entry (data); destroying it removes the binding.
class BindingEntry : public DataEntry {
public:
    BindingEntry(ContractEngine& engine, std::unique_ptr<Binding> b) : engine_(engine), binding_(std::move(b)) {}
    ~BindingEntry() override { engine_.remove(binding_.get()); }

private:
    ContractEngine& engine_;
    std::unique_ptr<Binding> binding_;
};

// Calls go to function kinds (function.lua, function.native, ...): Wippy's naming, and
// the only thing entry_find tells about an entry is its kind.
bool callable_kind(std::string_view kind) { return kind.starts_with("function."); }

std::string where(const Binding& b) { return b.file + ":" + std::to_string(b.line); }

}  // namespace

ContractEngine::ContractEngine(const Host& host) : host_(host) {}
ContractEngine::~ContractEngine() = default;

// ---------------------------------------------------------------------------
// The entry kinds
// ---------------------------------------------------------------------------

std::unique_ptr<DataEntry> ContractEngine::create_entry(const EntryInfo& info) {
    if (info.kind() == kDefinitionKind) {
        std::unique_ptr<Contract> c = parse_contract(host_.api(), info);  // compiles the schemas: outside the lock
        const Contract* p = c.get();
        auto entry = std::make_unique<ContractEntry>(*this, std::move(c));
        std::unique_lock lock(mutex_);
        contracts_.insert_or_assign(p->id, p);  // no binding can be Ready on it yet: nothing to rebuild
        return entry;
    }
    if (info.kind() == kBindingKind) {
        std::unique_ptr<Binding> b = parse_binding(info);
        Binding* p = b.get();
        auto entry = std::make_unique<BindingEntry>(*this, std::move(b));
        std::unique_lock lock(mutex_);
        p->seq = next_seq_++;
        bindings_.insert_or_assign(p->id, p);  // Pending: invisible until load_finished checks it
        return entry;
    }
    throw Failure(Error(MODRT_ERR_INVALID, "the contract plugin does not provide kind '" + std::string(info.kind()) + "'")
                      .set_field("kind"));
}

void ContractEngine::remove(const Contract* c) {
    std::unique_lock lock(mutex_);
    if (auto it = contracts_.find(c->id); it != contracts_.end() && it->second == c) contracts_.erase(it);
    rebuild();
}

void ContractEngine::remove(const Binding* b) {
    std::unique_lock lock(mutex_);
    if (auto it = bindings_.find(b->id); it != bindings_.end() && it->second == b) bindings_.erase(it);
    rebuild();
}

void ContractEngine::load_finished(ValueSlot out) {
    std::vector<Problem> problems;
    {
        std::unique_lock lock(mutex_);
        std::vector<Binding*> pending;
        for (auto& [id, b] : bindings_)
            if (b->state == Binding::State::Pending) pending.push_back(b);
        std::sort(pending.begin(), pending.end(), [](const Binding* a, const Binding* b) { return a->seq < b->seq; });
        for (Binding* b : pending) check(*b, problems);
        rebuild();
    }
    for (const Problem& p : problems) add_load_problem(out, p.id, p.field, p.message);
}

// Everything a binding says about other entries; `Ready` when all of it holds.
void ContractEngine::check(Binding& b, std::vector<Problem>& problems) {
    std::vector<Problem> mine;
    auto problem = [&](std::string field, std::string message) {
        mine.push_back(Problem{b.id, std::move(field), std::move(message)});
    };
    for (const BindingItem& item : b.items) {
        const std::string base = "contracts." + std::to_string(item.index);
        auto c = contracts_.find(item.contract);
        const Contract* contract = c == contracts_.end() ? nullptr : c->second;
        if (contract == nullptr) {
            const modrt_entry_info* e = host_.find_entry(item.contract);
            if (e == nullptr) problem(base + ".contract", "contract '" + item.contract + "' not found");
            else if (to_view(e->kind) == kDefinitionKind)
                problem(base + ".contract", "contract '" + item.contract + "' did not load (see its error)");
            else
                problem(base + ".contract",
                        "'" + item.contract + "' is a " + std::string(to_view(e->kind)) + " entry, not a contract.definition");
        }
        for (const auto& [method, fn] : item.methods) {
            const std::string field = base + ".methods." + method;
            if (contract != nullptr && contract->find(method) == nullptr) {
                problem(field, "contract '" + contract->id + "' has no method '" + method +
                                   "' (its methods: " + contract->method_names() + ")");
                continue;
            }
            const modrt_entry_info* e = host_.find_entry(fn);
            if (e == nullptr) problem(field, "method '" + method + "': function '" + fn + "' not found");
            else if (!callable_kind(to_view(e->kind)))
                problem(field, "method '" + method + "': '" + fn + "' is a " + std::string(to_view(e->kind)) +
                                   " entry, which cannot be called");
        }
        if (contract == nullptr) continue;
        for (const Method& m : contract->methods)
            if (item.function_of(m.name) == nullptr)
                problem(base + ".methods",
                        "method '" + m.name + "' of contract '" + contract->id + "' is not bound to a function");
        if (item.is_default) {
            // The first binding (in load order) declaring itself default for the contract keeps it.
            const Binding* first = nullptr;
            for (const auto& [id, other] : bindings_) {
                if (other == &b || other->seq > b.seq || (first && first->seq < other->seq)) continue;
                for (const BindingItem& o : other->items)
                    if (o.is_default && o.contract == item.contract) first = other;
            }
            if (first != nullptr)
                problem(base + ".default", "contract '" + item.contract + "' already has a default binding: '" +
                                               first->id + "' at " + where(*first));
        }
    }
    b.state = mine.empty() ? Binding::State::Ready : Binding::State::Broken;
    if (!mine.empty()) b.problem = mine.front().message;
    for (auto& p : mine) problems.push_back(std::move(p));
}

void ContractEngine::rebuild() {
    targets_.clear();
    defaults_.clear();
    for (const auto& [id, b] : bindings_) {
        if (b->state != Binding::State::Ready) continue;
        for (const BindingItem& item : b->items) {
            auto c = contracts_.find(item.contract);
            if (c == contracts_.end()) continue;  // its entry is being destroyed
            const Contract* contract = c->second;
            if (item.is_default) {
                auto [d, added] = defaults_.try_emplace(item.contract, b);
                if (!added && b->seq < d->second->seq) d->second = b;
            }
            for (const auto& [method, fn] : item.methods) {
                const Method* m = contract->find(method);
                if (m == nullptr) continue;
                std::vector<Target>& targets = targets_[fn];
                bool known = std::any_of(targets.begin(), targets.end(),
                                         [&](const Target& t) { return t.contract == contract && t.method == m; });
                if (!known) targets.push_back(Target{contract, m});
            }
        }
    }
}

const Binding* ContractEngine::default_of(std::string_view contract) const {
    auto it = defaults_.find(contract);
    return it == defaults_.end() ? nullptr : it->second;
}

// ---------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------

namespace {

// A violation's place for people: "(root)" or the JSON Pointer into the value.
std::string_view shown(std::string_view path) { return path.empty() ? std::string_view("(root)") : path; }

}  // namespace

Error ContractEngine::invalid_call(const Target& t, std::string_view target, bool input, ValueView instance,
                                   const json_schema::Schema* schema) const {
    const char* what = input ? "input" : "output";
    std::vector<json_schema::Violation> violations;
    if (schema != nullptr) {
        // Every schema of the method, so the caller learns all that is wrong at once.
        for (const auto& s : input ? t.method->inputs : t.method->outputs) s->validate(instance.raw(), &violations);
        if (violations.empty()) violations.push_back({"", "schema", "does not match the schema"});
    } else {
        // More than one argument: the schema describes the method's single input value.
        violations.push_back({"", "arguments",
                              "method '" + t.method->name +
                                  "' takes one input value (its input schema describes it); got " +
                                  std::to_string(host_.api().value_len(instance.raw())) + " arguments"});
    }
    std::string message = std::string(what) + " of " + std::string(target) + " does not match contract " + t.contract->id +
                          ", method " + t.method->name + ": ";
    for (size_t i = 0; i < violations.size(); ++i) {
        const json_schema::Violation& v = violations[i];
        message += i ? "; " : "";
        if (v.keyword != "arguments") message += std::string(shown(v.path)) + ": ";
        message += v.message + " (" + v.keyword + ")";
    }
    Error err(MODRT_ERR_INVALID, message);
    ValueSlot d = err.details_slot();
    d.set_map(5);
    d.insert("contract").set_string(t.contract->id);
    d.insert("method").set_string(t.method->name);
    d.insert("function").set_string(target);
    d.insert("direction").set_string(what);
    ValueSlot list = d.insert("violations");
    list.set_array(violations.size());
    for (const json_schema::Violation& v : violations) {
        ValueSlot item = list.push();
        item.set_map(3);
        item.insert("path").set_string(v.path);
        item.insert("keyword").set_string(v.keyword);
        item.insert("message").set_string(v.message);
    }
    return err;
}

Error ContractEngine::validate_input(std::string_view target, ValueView args) {
    std::shared_lock lock(mutex_);
    auto it = targets_.find(target);
    if (it == targets_.end()) [[unlikely]]
        return {};
    size_t count = args.size();
    while (count > 0 && args[count - 1].is_nil()) --count;  // Lua's trailing nils are no arguments
    const ValueView input = count > 0 ? args[0] : nil_.view();
    for (const Target& t : it->second) {
        if (t.method->inputs.empty()) continue;
        if (count > 1) return invalid_call(t, target, true, args, nullptr);
        for (const auto& schema : t.method->inputs)
            if (!schema->validate(input.raw())) return invalid_call(t, target, true, input, schema.get());
    }
    return {};
}

Error ContractEngine::validate_output(std::string_view target, ValueView result) {
    std::shared_lock lock(mutex_);
    auto it = targets_.find(target);
    if (it == targets_.end()) [[unlikely]]
        return {};
    for (const Target& t : it->second)
        for (const auto& schema : t.method->outputs)
            if (!schema->validate(result.raw())) return invalid_call(t, target, false, result, schema.get());
    return {};
}

bool ContractEngine::covers(std::string_view target) {
    std::shared_lock lock(mutex_);
    return targets_.find(target) != targets_.end();
}

// ---------------------------------------------------------------------------
// Resolving and describing
// ---------------------------------------------------------------------------

const Binding* ContractEngine::find_binding(std::string_view id, const Contract** via_contract, Error& err) const {
    *via_contract = nullptr;
    if (auto b = bindings_.find(id); b != bindings_.end()) {
        const Binding* binding = b->second;
        if (binding->state == Binding::State::Pending) {
            err = Error(MODRT_ERR_UNAVAILABLE, "binding '" + std::string(id) + "' is still loading");
            return nullptr;
        }
        if (binding->state == Binding::State::Broken) {
            err = Error(MODRT_ERR_UNAVAILABLE, "binding '" + std::string(id) + "' did not load: " + binding->problem)
                      .set_retryable(false);
            return nullptr;
        }
        return binding;
    }
    auto c = contracts_.find(id);
    if (c == contracts_.end()) {
        err = Error(MODRT_ERR_NOT_FOUND, "no contract or binding '" + std::string(id) + "'");
        return nullptr;
    }
    *via_contract = c->second;
    const Binding* binding = default_of(c->second->id);
    if (binding == nullptr)
        err = Error(MODRT_ERR_NOT_FOUND, "contract '" + c->second->id +
                                             "' has no default binding (open a binding by its id, or mark one "
                                             "binding's item `default: true`)");
    return binding;
}

Error ContractEngine::resolve(std::string_view id, std::string_view method, ValueSlot out) {
    if (!valid_id(id))
        return Error(MODRT_ERR_INVALID, "'" + std::string(id) + "' is not a binding or contract id (expected ns:name)");
    if (method.empty()) return Error(MODRT_ERR_INVALID, "resolve: the method name is empty");
    std::shared_lock lock(mutex_);
    const Contract* contract = nullptr;
    Error err;
    const Binding* binding = find_binding(id, &contract, err);
    if (contract != nullptr && contract->find(method) == nullptr)  // a missing method says more than a missing default
        return Error(MODRT_ERR_NOT_FOUND, "contract '" + contract->id + "' has no method '" + std::string(method) +
                                              "' (its methods: " + contract->method_names() + ")");
    if (binding == nullptr) return err;
    for (const BindingItem& item : binding->items)
        if (contract == nullptr || item.contract == contract->id)
            if (const std::string* fn = item.function_of(method)) {
                out.set_string(*fn);
                return {};
            }
    if (contract != nullptr)
        return Error(MODRT_ERR_INTERNAL, "default binding '" + binding->id + "' of '" + contract->id +
                                             "' does not bind method '" + std::string(method) + "'");
    std::string contracts;
    for (const BindingItem& item : binding->items) contracts += (contracts.empty() ? "" : ", ") + item.contract;
    return Error(MODRT_ERR_NOT_FOUND,
                 "binding '" + std::string(id) + "' has no method '" + std::string(method) + "' (it implements " + contracts + ")");
}

Error ContractEngine::describe_binding(std::string_view id, ValueSlot out) {
    if (!valid_id(id))
        return Error(MODRT_ERR_INVALID, "'" + std::string(id) + "' is not a binding or contract id (expected ns:name)");
    std::shared_lock lock(mutex_);
    const Contract* contract = nullptr;
    Error err;
    const Binding* binding = find_binding(id, &contract, err);
    if (binding == nullptr) return err;
    out.set_map(3);
    out.insert("binding").set_string(binding->id);
    if (contract != nullptr) out.insert("default_of").set_string(contract->id);
    ValueSlot items = out.insert("contracts");
    items.set_array(binding->items.size());
    for (const BindingItem& item : binding->items) {
        ValueSlot c = items.push();
        c.set_map(4);
        c.insert("contract").set_string(item.contract);
        c.insert("default").set_bool(item.is_default);
        {
            ValueSlot methods = c.insert("methods");  // filled before the next insert into c
            methods.set_map(item.methods.size());
            for (const auto& [m, fn] : item.methods) methods.insert(m).set_string(fn);
        }
        ValueSlot keys = c.insert("context_required");
        keys.set_array(item.context_required.size());
        for (const std::string& k : item.context_required) keys.push().set_string(k);
    }
    return {};
}

Error ContractEngine::describe(ValueSlot out) {
    std::shared_lock lock(mutex_);
    std::vector<const Binding*> ready;  // in load order
    for (const auto& [id, b] : bindings_)
        if (b->state == Binding::State::Ready) ready.push_back(b);
    std::sort(ready.begin(), ready.end(), [](const Binding* a, const Binding* b) { return a->seq < b->seq; });
    out.set_map(contracts_.size());
    for (const auto& [id, contract] : contracts_) {
        ValueSlot c = out.insert(id);
        c.set_map(2);
        {
            ValueSlot methods = c.insert("methods");  // filled before the next insert into c
            methods.set_array(contract->methods.size());
            for (const Method& m : contract->methods) {
                ValueSlot item = methods.push();
                item.set_map(4);
                item.insert("name").set_string(m.name);
                item.insert("description").set_string(m.description.is_string() ? m.description.as_string() : "");
                if (!m.input_schemas.is_nil()) item.insert("input_schemas").copy_from(m.input_schemas);
                if (!m.output_schemas.is_nil()) item.insert("output_schemas").copy_from(m.output_schemas);
            }
        }
        ValueSlot impls = c.insert("implementations");
        impls.set_array();
        for (const Binding* b : ready)
            for (const BindingItem& item : b->items) {
                if (item.contract != id) continue;
                ValueSlot impl = impls.push();
                impl.set_map(4);
                impl.insert("binding").set_string(b->id);
                impl.insert("default").set_bool(item.is_default);
                {
                    ValueSlot methods = impl.insert("methods");
                    methods.set_map(item.methods.size());
                    for (const auto& [m, fn] : item.methods) methods.insert(m).set_string(fn);
                }
                ValueSlot keys = impl.insert("context_required");
                keys.set_array(item.context_required.size());
                for (const std::string& k : item.context_required) keys.push().set_string(k);
            }
    }
    return {};
}

}  // namespace modrt::contract

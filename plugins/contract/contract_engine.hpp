// The contract plugin's one object: the `contract.definition` and `contract.binding`
// entry kinds (each entry adds a contract or a binding) and the runtime's contract
// provider (resolves bindings, describes contracts, validates the calls of bound
// functions). One class, so all three see the same state.
#pragma once

#include "registry_model.hpp"

#include <modrt/sdk.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace modrt::contract {

class ContractEngine final : public DataKind, public ContractProvider {
public:
    explicit ContractEngine(const Host& host);
    ~ContractEngine() override;

    // -- the two entry kinds --
    std::unique_ptr<DataEntry> create_entry(const EntryInfo& info) override;
    void load_finished(ValueSlot problems) override;

    // -- the contract provider --
    Error validate_input(std::string_view target, ValueView args) override;
    Error validate_output(std::string_view target, ValueView result) override;
    Error resolve(std::string_view binding, std::string_view method, ValueSlot out) override;
    Error describe(ValueSlot out) override;
    bool covers(std::string_view target) override;
    Error describe_binding(std::string_view id, ValueSlot out) override;

    /// Drop a contract or binding whose entry is destroyed.
    void remove(const Contract* c);
    void remove(const Binding* b);

private:
    // One contract method a function implements (through some Ready binding).
    struct Target {
        const Contract* contract;
        const Method* method;
    };
    struct Hash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    struct Problem {
        std::string id, field, message;
    };

    void rebuild();  // under the exclusive lock: targets_ and defaults_ from the Ready bindings
    void check(Binding& b, std::vector<Problem>& problems);      // under the exclusive lock
    const Binding* default_of(std::string_view contract) const;  // under a lock
    // Under a lock: the binding `id` names, or (via_contract set) its contract's default binding; else an error.
    const Binding* find_binding(std::string_view id, const Contract** via_contract, Error& err) const;
    Error invalid_call(const Target& t, std::string_view target, bool input, ValueView instance,
                       const json_schema::Schema* schema) const;

    Host host_;
    Value nil_;                        // the input of a call without arguments
    mutable std::shared_mutex mutex_;  // everything below; written only by loads and entry destruction
    std::map<std::string, const Contract*, std::less<>> contracts_;
    std::map<std::string, Binding*, std::less<>> bindings_;
    uint64_t next_seq_ = 0;
    // function id -> the contract methods it implements; only functions some Ready binding names
    std::unordered_map<std::string, std::vector<Target>, Hash, std::equal_to<>> targets_;
    std::map<std::string, const Binding*, std::less<>> defaults_;  // contract id -> its default binding
};

}  // namespace modrt::contract

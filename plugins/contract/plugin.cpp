// The contract plugin: Wippy's contracts (README.md). One engine serves both entry
// kinds and the runtime's contract provider.
#include "contract_engine.hpp"

MODRT_PLUGIN("contract", "1.0.0", modrt::provide_data_kind<modrt::contract::ContractEngine>("contract.definition"),
             modrt::provide_data_kind<modrt::contract::ContractEngine>("contract.binding"),
             modrt::provide_contract<modrt::contract::ContractEngine>("contract.provider"))

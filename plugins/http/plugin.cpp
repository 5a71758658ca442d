// The http plugin: Wippy's HTTP server (README.md). One kind object serves the trigger
// kind http.service and the data kinds its services read.
#include "http_kind.hpp"

MODRT_PLUGIN("http", "1.0.0", modrt::provide_trigger<modrt::http::HttpKind>("http.service"),
             modrt::provide_data_kind<modrt::http::HttpKind>("http.router"),
             modrt::provide_data_kind<modrt::http::HttpKind>("http.endpoint"),
             modrt::provide_data_kind<modrt::http::HttpKind>("security.token_store"))

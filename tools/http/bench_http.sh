#!/usr/bin/env bash
# HTTP throughput of `modrt serve` beside nginx with its Lua module (OpenResty's way of
# doing the same), in the same run: each serves GET /hello?name=Ada with a Lua handler that
# reads the query parameter and writes a JSON string, on 2 workers, loaded by
# `wrk -t1 -c50 --latency`. Prints requests/s and p99 latency for both. Not a test.
# Both servers stay up for the whole run and are measured in alternation, one round after
# another: on this 2-core VM one side's figure moves by up to a fifth from one minute to the
# next (nginx+lua alone gave 48-73 k req/s in one day), so a single pair decides nothing.
# Each round's ratio is printed, then their median.
#
#   tools/http/bench_http.sh [--build DIR] [--duration 10s] [--connections 50] [--rounds 3] [--install]
#
# Needs wrk, nginx and libnginx-mod-http-lua. --install installs them with apt-get. Debian's
# nginx Lua module pulls in OpenResty's LuaJIT (libluajit2-5.1-2), which replaces
# libluajit-5.1-2/-dev; modrt links its own LuaJIT (cmake/LuaJIT.cmake), so neither matters to it.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=build duration=10s connections=50 rounds=3 install=0
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --install) install=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
modrt=$build/bin/modrt
[ -x "$modrt" ] || { echo "no $modrt: build modrt first (see README)" >&2; exit 1; }
lua_module=/usr/lib/nginx/modules/ngx_http_lua_module.so
if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null || [ ! -f "$lua_module" ]; then
  if [ "$install" = 1 ]; then
    sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
    $sudo_ apt-get install -y --no-install-recommends wrk nginx-light libnginx-mod-http-lua
  else
    echo "needs wrk, nginx and libnginx-mod-http-lua: rerun with --install (read the note at the top first)" >&2
    exit 1
  fi
fi

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
modrt_port=$(free_port)
nginx_port=$(free_port)

# -- modrt: an http.service on 2 workers, one endpoint, a Lua handler
mkdir -p "$work/modrt"
cat > "$work/modrt/hello.lua" <<'LUA'
local http = require("http")
local function hello()
    local req = http.request()
    local res = http.response()
    res:set_content_type("application/json")
    res:write('{"message":"Hello, ' .. (req:query("name") or "world") .. '"}\n')
end
return { hello = hello }
LUA
cat > "$work/modrt/registry.yaml" <<YAML
version: "1.0"
namespace: bench
entries:
  - {name: hello, kind: function.lua, source: file://hello.lua, method: hello, modules: [http]}
  - name: gateway
    kind: http.service
    addr: "127.0.0.1:$modrt_port"
    workers: 2
  - {name: api, kind: http.router, meta: {server: gateway}}
  - {name: get_hello, kind: http.endpoint, meta: {router: api}, method: GET, path: /hello, func: hello}
YAML
"$modrt" serve "$work/modrt" --log-level error 2> "$work/modrt.log" &
pids+=($!)

# -- nginx: 2 workers, the same handler in content_by_lua_block
mkdir -p "$work/nginx/logs"
cat > "$work/nginx/nginx.conf" <<NGINX
load_module /usr/lib/nginx/modules/ndk_http_module.so;
load_module $lua_module;
worker_processes 2;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log error;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$nginx_port;
    location /hello {
      default_type application/json;
      content_by_lua_block {
        ngx.say('{"message":"Hello, ' .. (ngx.var.arg_name or "world") .. '"}')
      }
    }
  }
}
NGINX
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
pids+=($!)

wait_for() {
  for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$1/hello?name=Ada" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "nothing answers on port $1 ($2); its log:" >&2
  cat "$work/$2.log" "$work/nginx/logs/error.log" 2>/dev/null >&2 || true
  exit 1
}
wait_for "$modrt_port" modrt
wait_for "$nginx_port" nginx
echo "modrt answers: $(curl -s "http://127.0.0.1:$modrt_port/hello?name=Ada")"
echo "nginx answers: $(curl -s "http://127.0.0.1:$nginx_port/hello?name=Ada")"

run() {  # run NAME PORT ROUND: warm up, then measure; prints "NAME req/s p99", keeps req/s
  wrk -t1 -c"$connections" -d2s "http://127.0.0.1:$2/hello?name=Ada" >/dev/null
  wrk -t1 -c"$connections" -d"$duration" --latency "http://127.0.0.1:$2/hello?name=Ada" > "$work/$1.$3.wrk"
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$1.$3.wrk")
  p99=$(awk '$1 == "99%" {print $2}' "$work/$1.$3.wrk")
  printf '  %-10s %12s req/s   p99 %s\n' "$1" "$rps" "$p99"
  echo "$rps" > "$work/$1.$3.rps"
}
echo "wrk -t1 -c$connections -d$duration, 2 workers each, $(nproc) cores, $rounds alternating rounds:"
for r in $(seq "$rounds"); do
  echo "round $r:"
  run modrt "$modrt_port" "$r"
  run nginx+lua "$nginx_port" "$r"
done
python3 - "$work" "$rounds" <<'PY'
import statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
read = lambda name, r: float(open(f"{work}/{name}.{r}.rps").read())
ratios = [read("modrt", r) / read("nginx+lua", r) for r in range(1, rounds + 1)]
print("ratio modrt / nginx+lua (req/s) per round: " + ", ".join(f"{x:.2f}" for x in ratios))
print(f"ratio modrt / nginx+lua: median {statistics.median(ratios):.2f} over {rounds} rounds "
      f"(range {min(ratios):.2f}-{max(ratios):.2f})")
PY

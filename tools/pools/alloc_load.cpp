// A multi-threaded, allocation-heavy process to run beside a benchmark (tools/pools/contention.sh):
// what a busy production machine looks like to a pool's hand-off. Each thread keeps a ring of
// live blocks of random sizes (16 B to 64 KiB), writes into each, and frees the oldest, until the
// process is killed.
//   modrt-alloc-load [threads=4]
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

void churn(unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<size_t> size(16, 64 * 1024);
    std::vector<std::unique_ptr<char[]>> ring(1024);
    for (size_t i = 0;; i = (i + 1) % ring.size()) {
        size_t n = size(rng);
        ring[i] = std::make_unique<char[]>(n);  // frees the block it replaces
        std::memset(ring[i].get(), static_cast<int>(i), n);
    }
}

}  // namespace

int main(int argc, char** argv) {
    int threads = argc > 1 ? std::atoi(argv[1]) : 4;
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) workers.emplace_back(churn, static_cast<unsigned>(t + 1));
    for (auto& w : workers) w.join();  // never: killed by the script
}

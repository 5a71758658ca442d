// Runs a fuzz target over files (the seed corpus and every past crash) without
// libFuzzer, so the plain and sanitizer builds replay them as ordinary tests.
//   <target>_replay CORPUS_DIR REGRESSIONS_DIR...   (each must exist)
// README* and dot files in a folder are documentation, not inputs. An input that
// runs longer than kReplayInputLimit fails the run (a hang must fail, not stall CI).
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

constexpr std::chrono::seconds kReplayInputLimit{20};

bool replay_is_input(const std::filesystem::path& file) {
    const std::string name = file.filename().string();
    return !name.starts_with(".") && !name.starts_with("README");
}

// Ends the process if the current input runs too long, naming it.
class ReplayWatchdog {
public:
    ReplayWatchdog() : thread_([this] { watch(); }) {}
    ~ReplayWatchdog() {
        {
            std::lock_guard lock(mutex_);
            done_ = true;
        }
        changed_.notify_all();
        thread_.join();
    }
    void start(std::string input) {
        std::lock_guard lock(mutex_);
        input_ = std::move(input);
        started_ = std::chrono::steady_clock::now();
        ++generation_;
        changed_.notify_all();
    }

private:
    void watch() {
        std::unique_lock lock(mutex_);
        while (!done_) {
            if (input_.empty()) {
                changed_.wait(lock);
                continue;
            }
            const auto generation = generation_;
            if (changed_.wait_until(lock, started_ + kReplayInputLimit,
                                    [&] { return done_ || generation_ != generation; }))
                continue;
            std::fprintf(stderr, "replay: %s did not finish within %llds: a hang\n", input_.c_str(),
                         static_cast<long long>(kReplayInputLimit.count()));
            std::_Exit(1);
        }
    }

    std::mutex mutex_;
    std::condition_variable changed_;
    std::string input_;
    std::chrono::steady_clock::time_point started_;
    uint64_t generation_ = 0;
    bool done_ = false;
    std::thread thread_;
};

}  // namespace

int main(int argc, char** argv) {
    namespace fs = std::filesystem;
    size_t count = 0;
    bool missing = false;
    ReplayWatchdog watchdog;
    for (int i = 1; i < argc; ++i) {
        std::vector<fs::path> files;
        if (!fs::exists(argv[i])) {
            std::fprintf(stderr, "replay: %s does not exist (create it; see tests/fuzz/regressions/README.md)\n",
                         argv[i]);
            missing = true;
            continue;
        }
        if (fs::is_directory(argv[i])) {
            for (const auto& f : fs::recursive_directory_iterator(argv[i]))
                if (f.is_regular_file() && replay_is_input(f.path())) files.push_back(f.path());
        } else {
            files.emplace_back(argv[i]);
        }
        std::printf("replay: %zu inputs in %s\n", files.size(), argv[i]);
        for (const auto& file : files) {
            std::ifstream in(file, std::ios::binary);
            std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            std::printf("replay: %s\n", file.string().c_str());
            std::fflush(stdout);  // the last line names the input if it crashes
            watchdog.start(file.string());
            LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(data.data()), data.size());
            ++count;
        }
    }
    std::printf("replayed %zu inputs\n", count);
    return count > 0 && !missing ? 0 : 1;
}

// The writer thread: records reach the file in order, a full queue drops instead of waiting,
// the destructor writes what is queued, and instances of one log share one writer.
#include "writer.hpp"
#include "hash_chain.hpp"
#include "record.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <atomic>
#include <csignal>
#include <future>

using namespace nexus::audit;
using namespace nexus::audit::test;

namespace {
std::string record(int i) {
    RecordInput r;
    r.time_ms = 1;
    r.request_id = "req_" + std::to_string(i);
    r.outcome = "ok";
    return open_record(r);
}
}  // namespace

TEST_CASE("records are written in order by the writer thread, and destruction drains the queue") {
    TempDir dir;
    LogOptions opts;
    opts.path = dir.file("audit.jsonl");
    {
        Writer w(opts, 1000, [] { return uint64_t(1); }, [](const std::string&) {}, [](const std::string&) {});
        for (int i = 0; i < 200; ++i) REQUIRE(w.submit(record(i)));
    }
    auto lines = lines_of(read_file(opts.path));
    REQUIRE(lines.size() == 200);
    for (int i = 0; i < 200; ++i) CHECK(lines[size_t(i)].find("\"req_" + std::to_string(i) + "\"") != std::string::npos);
    CHECK(verify({opts.path}).code == 0);
}

TEST_CASE("a full queue drops the record instead of blocking") {
    TempDir dir;
    LogOptions opts;
    opts.path = dir.file("audit.jsonl");
    // The clock is read inside each write: holding it holds the writer thread mid-record.
    std::promise<void> release;
    std::shared_future<void> gate = release.get_future().share();
    std::atomic<bool> armed{false};
    std::atomic<int> waiting{0};
    Clock clock = [&] {
        if (armed) {
            ++waiting;
            gate.wait();
        }
        return uint64_t(1);
    };
    {
        Writer w(opts, 2, clock, [](const std::string&) {}, [](const std::string&) {});
        armed = true;
        REQUIRE(w.submit(record(0)));  // taken by the thread, which then waits on the clock
        while (waiting == 0) std::this_thread::yield();
        CHECK(w.submit(record(1)));
        CHECK(w.submit(record(2)));
        CHECK_FALSE(w.submit(record(3)));  // queue of 2 is full
        release.set_value();
        w.drain();
        CHECK(w.submit(record(4)));
    }
    auto lines = lines_of(read_file(opts.path));
    REQUIRE(lines.size() == 4);
    CHECK(lines[3].find("\"req_4\"") != std::string::npos);
    CHECK(read_file(opts.path).find("\"req_3\"") == std::string::npos);
}

TEST_CASE("a special file is refused at start") {
    LogOptions opts;
    opts.path = "/dev/null";
    CHECK_THROWS_WITH(Writer(opts, 10, [] { return uint64_t(1); }, [](const std::string&) {}, [](const std::string&) {}),
                      "/dev/null is not a regular file");
}

TEST_CASE("a failed write is reported, and after a torn line the chain goes on in a new file") {
    TempDir dir;
    LogOptions opts;
    opts.path = dir.file("audit.jsonl");
    std::vector<std::string> errors;
    std::mutex mu;
    // RLIMIT_FSIZE makes the kernel cut writes short (EFBIG once at the limit).
    struct rlimit old {};
    getrlimit(RLIMIT_FSIZE, &old);
    auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
    {
        Writer w(opts, 100, [] { return uint64_t(1); }, [](const std::string&) {}, [&](const std::string& e) {
            std::lock_guard<std::mutex> lock(mu);
            errors.push_back(e);
        });
        w.submit(record(1));
        w.drain();
        size_t one = std::filesystem::file_size(opts.path);
        struct rlimit lim = old;
        lim.rlim_cur = one + one / 2;  // the second record fits half
        setrlimit(RLIMIT_FSIZE, &lim);
        w.submit(record(2));
        w.drain();
        setrlimit(RLIMIT_FSIZE, &old);
        w.submit(record(3));
        w.drain();
    }
    std::signal(SIGXFSZ, old_handler);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("cannot write " + opts.path) == 0);
    auto files = chain_files(dir.path, "audit.jsonl");
    REQUIRE(files.size() == 2);
    CHECK(verify(files).out.find(files[0] + ":2: truncated record") == 0);  // the torn line stays visible
    auto v = verify({files[1]});
    CHECK(v.code == 0);
    CHECK(read_file(files[1]).find("\"req_3\"") != std::string::npos);
    // The new file continues from record 1, the last one written whole.
    CHECK(read_file(files[1]).find(stated_hash(lines_of(read_file(files[0]))[0])) != std::string::npos);
}

TEST_CASE("instances naming the same log share one writer and one chain") {
    TempDir dir;
    LogOptions opts;
    opts.path = dir.file("audit.jsonl");
    LogOptions same = opts;
    same.path = dir.path.string() + "/./audit.jsonl";
    auto noop = [](const std::string&) {};
    std::shared_ptr<Writer> a = shared_writer(opts, 100, [] { return uint64_t(1); }, noop, noop);
    std::shared_ptr<Writer> b = shared_writer(same, 100, [] { return uint64_t(1); }, noop, noop);
    CHECK(a == b);
    a->submit(record(1));
    b->submit(record(2));
    a.reset();
    b.reset();  // the last owner joins the thread
    CHECK(lines_of(read_file(opts.path)).size() == 2);
    CHECK(verify({opts.path}).code == 0);
    auto c = shared_writer(opts, 100, [] { return uint64_t(1); }, noop, noop);
    CHECK(c != nullptr);
}

TEST_CASE("the writer thread does not take the process's control signals") {
    TempDir dir;
    LogOptions opts;
    opts.path = dir.file("audit.jsonl");
    std::atomic<bool> checked{false};
    std::atomic<bool> blocked{false};
    // The clock runs on the writer thread: look at that thread's signal mask from there.
    Clock clock = [&] {
        sigset_t mask;
        pthread_sigmask(SIG_BLOCK, nullptr, &mask);
        if (!checked.exchange(true))
            blocked = sigismember(&mask, SIGTERM) == 1 && sigismember(&mask, SIGINT) == 1 && sigismember(&mask, SIGHUP) == 1;
        return uint64_t(1);
    };
    sigset_t before;
    pthread_sigmask(SIG_BLOCK, nullptr, &before);
    Writer w(opts, 10, clock, [](const std::string&) {}, [](const std::string&) {});
    checked = false;  // the constructor read the clock on this thread; the next read is the writer's
    w.submit(record(1));
    w.drain();
    CHECK(checked);
    CHECK(blocked);
    sigset_t after;
    pthread_sigmask(SIG_BLOCK, nullptr, &after);
    CHECK(sigismember(&after, SIGTERM) == sigismember(&before, SIGTERM));  // the creator's mask is restored
}

// A NUL-terminated copy of a JSON text for RapidJSON's in-situ parse (no string copies, SIMD
// scanning), in a buffer the thread reuses: no allocation per parse once it has grown.
#pragma once

#include <string>
#include <string_view>

namespace nexus::openai {

class InsituCopy {
public:
    explicit InsituCopy(std::string_view text) : buf_(thread_buffer()) {
        in_use_ = busy();  // a copy made while another is alive on this thread gets its own
        if (in_use_) {
            own_.assign(text);
            data_ = own_.data();
            return;
        }
        buf_.assign(text);
        data_ = buf_.data();
        busy() = true;
    }
    ~InsituCopy() {
        if (in_use_) return;
        busy() = false;
        // Keep a thread's buffer for the usual request size, not for the largest body ever seen.
        if (buf_.capacity() > kKeepBytes) std::string().swap(buf_);
    }
    InsituCopy(const InsituCopy&) = delete;
    InsituCopy& operator=(const InsituCopy&) = delete;

    char* data() { return data_; }

private:
    static constexpr size_t kKeepBytes = 1 << 20;
    static std::string& thread_buffer() {
        thread_local std::string buf;
        return buf;
    }
    static bool& busy() {
        thread_local bool b = false;
        return b;
    }

    std::string& buf_;
    std::string own_;  // only when the thread's buffer is taken
    char* data_ = nullptr;
    bool in_use_ = false;
};

}  // namespace nexus::openai

// The C ABI declared in skd_io.h: OpenCV for 2-D images, libhdf5 for HDF5 datasets.
#include "skd_io.h"

#include <hdf5.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

thread_local std::string g_error;
thread_local bool g_has_error = false;

void set_error(const std::string& message) {
  g_error = message;
  g_has_error = true;
}

#define SKD_IO_CATCH(failure)                                                 \
  catch (const cv::Exception& e) { set_error(std::string("OpenCV: ") + e.err); } \
  catch (const std::exception& e) { set_error(e.what()); }                     \
  catch (...) { set_error("unknown C++ exception"); }                          \
  return failure;

void require_file(const char* path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw std::runtime_error(std::string(path) + ": no such file");
}

// ---- HDF5: RAII handles, and libhdf5's own error stack silenced (we report our own message).
struct H5Handle {
  hid_t id;
  herr_t (*close)(hid_t);
  H5Handle(hid_t i, herr_t (*c)(hid_t), const std::string& what) : id(i), close(c) {
    if (id < 0) throw std::runtime_error(what);
  }
  ~H5Handle() {
    if (id >= 0) close(id);
  }
  H5Handle(const H5Handle&) = delete;
  H5Handle& operator=(const H5Handle&) = delete;
  hid_t release() {
    hid_t released = id;
    id = -1;
    return released;
  }
};

void quiet_hdf5() {
  static bool done = false;
  if (!done) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    done = true;
  }
}

H5Handle open_file(const char* path) {
  require_file(path);
  quiet_hdf5();
  if (H5Fis_hdf5(path) <= 0) throw std::runtime_error(std::string(path) + ": not an HDF5 file (or truncated)");
  return H5Handle(H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, std::string(path) + ": cannot open the HDF5 file");
}

// A dataset is read only from the file itself: an external link, external raw storage or a virtual
// dataset would make libhdf5 read other files (any path the file names, /etc/passwd as an image).
H5Handle open_dataset(const H5Handle& file, const char* path, const char* dataset) {
  if (H5Lexists(file.id, dataset, H5P_DEFAULT) <= 0)
    throw std::runtime_error(std::string(path) + ": no dataset '" + dataset + "'");
  H5L_info_t link;
  if (H5Lget_info(file.id, dataset, &link, H5P_DEFAULT) < 0 || link.type != H5L_TYPE_HARD)
    throw std::runtime_error(std::string(path) + ": '" + dataset + "' is a link, not a dataset stored in the file (external and soft links are refused)");
  H5Handle ds(H5Dopen2(file.id, dataset, H5P_DEFAULT), H5Dclose, std::string(path) + ": cannot open dataset '" + dataset + "'");
  H5Handle plist(H5Dget_create_plist(ds.id), H5Pclose, std::string(path) + ": cannot read the storage of '" + dataset + "'");
  if (H5Pget_external_count(plist.id) != 0)
    throw std::runtime_error(std::string(path) + ": dataset '" + dataset + "' keeps its data in external files: refused");
  if (H5Pget_layout(plist.id) == H5D_VIRTUAL)
    throw std::runtime_error(std::string(path) + ": dataset '" + dataset + "' is a virtual dataset mapping other files: refused");
  return H5Handle(ds.release(), H5Dclose, "");
}

// ---- Image dimensions from the header alone, so that a reader can refuse an image too large to
// decode before cv::imread allocates it (OpenCV 4.6 has no header-only query; its own
// OPENCV_IO_MAX_IMAGE_PIXELS is read once per process). The format is told by the same
// signatures imread goes by, not by the extension.
class HeaderReader {
 public:
  explicit HeaderReader(const char* path) : path_(path), in_(path, std::ios::binary) {
    if (!in_) throw std::runtime_error(path_ + ": cannot open the file");
  }
  void seek(uint64_t at) {
    in_.clear();
    in_.seekg(static_cast<std::streamoff>(at));
    if (!in_) truncated();
  }
  void skip(uint64_t n) { seek(static_cast<uint64_t>(in_.tellg()) + n); }
  uint8_t u8() {
    int c = in_.get();
    if (c == EOF) truncated();
    return static_cast<uint8_t>(c);
  }
  // Unsigned integer of `bytes` bytes in the given byte order.
  uint64_t uint(int bytes, bool little) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) {
      uint64_t b = u8();
      v = little ? v | (b << (8 * i)) : (v << 8) | b;
    }
    return v;
  }
  // Whether the file starts with the bytes of a string literal (embedded NULs included).
  template <size_t N>
  bool starts_with(const char (&signature)[N]) {
    seek(0);
    char head[N - 1];
    in_.read(head, N - 1);
    return in_.gcount() == static_cast<std::streamsize>(N - 1) && std::memcmp(head, signature, N - 1) == 0;
  }
  // The next whitespace-separated token of a PNM/PAM header, '#' comments skipped.
  std::string token() {
    std::string t;
    for (;;) {
      int c = in_.get();
      if (c == EOF) break;
      if (c == '#' && t.empty()) {
        while (c != EOF && c != '\n' && c != '\r') c = in_.get();
        continue;
      }
      if (std::isspace(c)) {
        if (t.empty()) continue;
        break;
      }
      t.push_back(static_cast<char>(c));
      if (t.size() > 32) throw std::runtime_error(path_ + ": malformed image header");
    }
    return t;
  }
  [[noreturn]] void truncated() { throw std::runtime_error(path_ + ": truncated image header"); }
  [[noreturn]] void malformed(const std::string& format) { throw std::runtime_error(path_ + ": malformed " + format + " header"); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::ifstream in_;
};

uint64_t pnm_number(HeaderReader& r) {
  std::string t = r.token();
  if (t.empty() || t.find_first_not_of("0123456789") != std::string::npos) r.malformed("PNM");
  return std::stoull(t);
}

// PNM (P1-P6) or PFM (Pf, PF): "P", a kind, then width and height as text; leaves r after the kind.
bool is_pnm(HeaderReader& r) {
  if (!r.starts_with("P")) return false;
  char kind = static_cast<char>(r.u8());
  return kind != '\0' && std::strchr("123456fF", kind) != nullptr;
}

// Width and height of a PNG (IHDR), JPEG (the first SOFn marker), TIFF or BigTIFF (the first
// directory, the page imread reads), BMP, PNM (P1-P6, PFM) or PAM (P7) file.
void image_dims(const char* path, uint64_t* width, uint64_t* height) {
  HeaderReader r(path);
  if (r.starts_with("\x89PNG\r\n\x1a\n")) {
    r.seek(12);
    if (r.uint(4, false) != 0x49484452) r.malformed("PNG");  // "IHDR"
    *width = r.uint(4, false);
    *height = r.uint(4, false);
  } else if (r.starts_with("\xff\xd8")) {
    for (;;) {
      if (r.u8() != 0xff) r.malformed("JPEG");
      uint8_t marker = r.u8();
      while (marker == 0xff) marker = r.u8();
      if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;  // no length
      if (marker == 0xd9 || marker == 0xda) r.malformed("JPEG (no frame header before the scan)");
      uint64_t length = r.uint(2, false);
      if (length < 2) r.malformed("JPEG");
      bool frame = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
      if (!frame) {
        r.skip(length - 2);
        continue;
      }
      r.u8();  // sample precision
      *height = r.uint(2, false);
      *width = r.uint(2, false);
      break;
    }
  } else if (r.starts_with("II*\0") || r.starts_with("MM\0*") || r.starts_with("II+\0") || r.starts_with("MM\0+")) {
    r.seek(0);
    bool little = r.u8() == 'I';
    r.u8();
    bool big = r.uint(2, little) == 43;
    if (big) r.skip(4);  // BigTIFF: offset size 8, then 0
    r.seek(r.uint(big ? 8 : 4, little));
    uint64_t entries = r.uint(big ? 8 : 2, little);
    if (entries > 65535) r.malformed("TIFF");
    for (uint64_t i = 0; i < entries; ++i) {
      uint64_t tag = r.uint(2, little), type = r.uint(2, little);
      r.skip(big ? 8 : 4);  // value count
      int value_bytes = big ? 8 : 4;
      uint64_t value = type == 3 ? r.uint(2, little) : type == 4 ? r.uint(4, little) : type == 16 ? r.uint(8, little) : 0;
      int used = type == 3 ? 2 : type == 4 ? 4 : type == 16 ? 8 : 0;
      r.skip(static_cast<uint64_t>(value_bytes - used));
      if (tag == 256) *width = value;
      if (tag == 257) *height = value;
    }
  } else if (r.starts_with("BM")) {
    r.seek(14);
    uint64_t size = r.uint(4, true);
    if (size == 12) {
      *width = r.uint(2, true);
      *height = r.uint(2, true);
    } else {
      *width = static_cast<uint64_t>(std::llabs(static_cast<int32_t>(r.uint(4, true))));
      *height = static_cast<uint64_t>(std::llabs(static_cast<int32_t>(r.uint(4, true))));
    }
  } else if (r.starts_with("P7")) {
    r.seek(2);
    for (std::string t = r.token(); t != "ENDHDR"; t = r.token()) {
      if (t.empty()) r.truncated();
      if (t == "WIDTH") *width = pnm_number(r);
      if (t == "HEIGHT") *height = pnm_number(r);
    }
  } else if (is_pnm(r)) {
    *width = pnm_number(r);
    *height = pnm_number(r);
  } else {
    throw std::runtime_error(r.path() + ": cannot decode the image: not a PNG, JPEG, TIFF, BMP or PNM file by its first bytes");
  }
  if (*width == 0 || *height == 0) throw std::runtime_error(r.path() + ": the image header gives no size");
}

}  // namespace

extern "C" {

const char* skd_io_last_error(void) { return g_has_error ? g_error.c_str() : nullptr; }
void skd_io_clear_error(void) {
  g_error.clear();
  g_has_error = false;
}

skd_image skd_image_read(const char* path) {
  try {
    require_file(path);
    cv::Mat m = cv::imread(path, cv::IMREAD_UNCHANGED);
    if (m.empty()) throw std::runtime_error(std::string(path) + ": cannot decode the image (unknown format, corrupt or truncated)");
    int depth = m.depth();
    if (depth == CV_8S || depth == CV_16S || depth == CV_32S || depth == CV_64F) m.convertTo(m, CV_32F);
    if (m.channels() == 3) cv::cvtColor(m, m, cv::COLOR_BGR2RGB);
    else if (m.channels() == 4) cv::cvtColor(m, m, cv::COLOR_BGRA2RGBA);
    else if (m.channels() != 1) throw std::runtime_error(std::string(path) + ": unsupported channel count " + std::to_string(m.channels()));
    if (!m.isContinuous()) m = m.clone();
    return new cv::Mat(std::move(m));
  }
  SKD_IO_CATCH(nullptr)
}

int32_t skd_image_dims(const char* path, int64_t* width, int64_t* height) {
  try {
    require_file(path);
    uint64_t w = 0, h = 0;
    image_dims(path, &w, &h);
    // Larger than any decoder accepts; kept below 2^62 so that the caller's product cannot overflow.
    if (w > (1u << 30) || h > (1u << 30)) throw std::runtime_error(std::string(path) + ": the image header gives an impossible size");
    *width = static_cast<int64_t>(w);
    *height = static_cast<int64_t>(h);
    return 0;
  }
  SKD_IO_CATCH(-1)
}

int32_t skd_image_info(skd_image image, int32_t* height, int32_t* width, int32_t* channels, int32_t* depth_bytes) {
  try {
    auto* m = static_cast<cv::Mat*>(image);
    *height = m->rows;
    *width = m->cols;
    *channels = m->channels();
    *depth_bytes = static_cast<int32_t>(m->elemSize1());
    return 0;
  }
  SKD_IO_CATCH(-1)
}

const void* skd_image_data(skd_image image) { return static_cast<cv::Mat*>(image)->data; }

void skd_image_free(skd_image image) { delete static_cast<cv::Mat*>(image); }

int32_t skd_image_encode(const char* extension, const void* data, int32_t height, int32_t width, int32_t channels,
                         int32_t depth_bytes, uint8_t** bytes, int64_t* size) {
  try {
    int depth = depth_bytes == 1 ? CV_8U : depth_bytes == 2 ? CV_16U : depth_bytes == 4 ? CV_32F : -1;
    if (depth < 0) throw std::invalid_argument("depth must be 1, 2 or 4 bytes");
    if (channels != 1 && channels != 3 && channels != 4) throw std::invalid_argument("channels must be 1, 3 or 4");
    if (!cv::haveImageWriter(std::string("image") + extension))
      throw std::runtime_error(std::string("cannot write an image with the extension '") + extension + "' (use .png, .tif, .bmp, .jpg or .pgm/.ppm)");
    cv::Mat m(height, width, CV_MAKETYPE(depth, channels), const_cast<void*>(data));
    cv::Mat bgr;
    if (channels == 3) cv::cvtColor(m, bgr, cv::COLOR_RGB2BGR);
    else if (channels == 4) cv::cvtColor(m, bgr, cv::COLOR_RGBA2BGRA);
    else bgr = m;
    std::vector<uchar> encoded;
    if (!cv::imencode(extension, bgr, encoded) || encoded.empty())
      throw std::runtime_error(std::string("cannot encode the image as ") + extension + " (unknown extension, or a pixel type the format cannot hold)");
    *bytes = static_cast<uint8_t*>(std::malloc(encoded.size()));
    if (*bytes == nullptr) throw std::bad_alloc();
    std::memcpy(*bytes, encoded.data(), encoded.size());
    *size = static_cast<int64_t>(encoded.size());
    return 0;
  }
  SKD_IO_CATCH(-1)
}

void skd_io_free(void* bytes) { std::free(bytes); }

int32_t skd_h5_dataset_info(const char* path, const char* dataset, int64_t* dims, int32_t capacity, int32_t* ndim,
                            int32_t* type_class, int32_t* type_size, int32_t* is_signed) {
  try {
    H5Handle file = open_file(path);
    H5Handle ds = open_dataset(file, path, dataset);
    H5Handle space(H5Dget_space(ds.id), H5Sclose, std::string(path) + ": cannot read the shape of '" + dataset + "'");
    int n = H5Sget_simple_extent_ndims(space.id);
    if (n < 0 || n > capacity) throw std::runtime_error(std::string(path) + ": dataset '" + dataset + "' has an unsupported rank");
    std::vector<hsize_t> d(static_cast<size_t>(n));
    H5Sget_simple_extent_dims(space.id, d.data(), nullptr);
    for (int i = 0; i < n; ++i) dims[i] = static_cast<int64_t>(d[static_cast<size_t>(i)]);
    *ndim = n;
    H5Handle type(H5Dget_type(ds.id), H5Tclose, std::string(path) + ": cannot read the type of '" + dataset + "'");
    H5T_class_t cls = H5Tget_class(type.id);
    if (cls != H5T_INTEGER && cls != H5T_FLOAT)
      throw std::runtime_error(std::string(path) + ": dataset '" + dataset + "' is not numeric");
    *type_class = cls == H5T_INTEGER ? 0 : 1;
    *type_size = static_cast<int32_t>(H5Tget_size(type.id));
    // An unfiltered (uncompressed) dataset stores every element: a shape that promises more than
    // the storage holds is a corrupt header, caught before anyone allocates for it.
    H5Handle plist(H5Dget_create_plist(ds.id), H5Pclose, std::string(path) + ": cannot read the storage of '" + dataset + "'");
    if (H5Pget_nfilters(plist.id) == 0) {
      double logical = static_cast<double>(*type_size);
      for (int i = 0; i < n; ++i) logical *= static_cast<double>(dims[i]);
      double stored = static_cast<double>(H5Dget_storage_size(ds.id));
      if (logical > stored)
        throw std::runtime_error(std::string(path) + ": dataset '" + dataset + "' claims " + std::to_string(static_cast<long long>(logical)) +
                                 " bytes but stores " + std::to_string(static_cast<long long>(stored)) + " (corrupt or truncated file)");
    }
    *is_signed = cls == H5T_INTEGER && H5Tget_sign(type.id) == H5T_SGN_2 ? 1 : 0;
    return 0;
  }
  SKD_IO_CATCH(-1)
}

int32_t skd_h5_read(const char* path, const char* dataset, int32_t as_type, void* dst, int64_t nbytes) {
  try {
    H5Handle file = open_file(path);
    H5Handle ds = open_dataset(file, path, dataset);
    H5Handle space(H5Dget_space(ds.id), H5Sclose, std::string(path) + ": cannot read the shape of '" + dataset + "'");
    hssize_t count = H5Sget_simple_extent_npoints(space.id);
    hid_t mem = as_type == 0 ? H5T_NATIVE_FLOAT : as_type == 1 ? H5T_NATIVE_DOUBLE : H5T_NATIVE_INT64;
    int64_t size = as_type == 0 ? 4 : 8;
    if (count * size != nbytes)
      throw std::runtime_error(std::string(path) + ": buffer of " + std::to_string(nbytes) + " bytes for " + std::to_string(count) + " elements");
    if (H5Dread(ds.id, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, dst) < 0)
      throw std::runtime_error(std::string(path) + ": cannot read dataset '" + dataset + "' (corrupt or truncated file)");
    return 0;
  }
  SKD_IO_CATCH(-1)
}

int32_t skd_h5_list(const char* path, char* buffer, int32_t capacity) {
  try {
    H5Handle file = open_file(path);
    std::string names;
    // Unversioned H5L names: they map to the 1.10 or the 1.12+ API, whichever libhdf5 is installed.
    auto visit = [](hid_t group, const char* name, const H5L_info_t* link, void* data) -> herr_t {
      if (link->type != H5L_TYPE_HARD) return 0;  // an external or soft link is not opened (see open_dataset)
      hid_t object = H5Oopen(group, name, H5P_DEFAULT);
      if (object < 0) return 0;
      if (H5Iget_type(object) == H5I_DATASET) {
        auto* out = static_cast<std::string*>(data);
        if (!out->empty()) out->push_back('\n');
        out->append(name);
      }
      H5Oclose(object);
      return 0;
    };
    if (H5Literate(file.id, H5_INDEX_NAME, H5_ITER_INC, nullptr, visit, &names) < 0)
      throw std::runtime_error(std::string(path) + ": cannot list the datasets (corrupt file)");
    int32_t n = static_cast<int32_t>(names.size());
    if (buffer && capacity > n) std::memcpy(buffer, names.c_str(), static_cast<size_t>(n) + 1);
    return n;
  }
  SKD_IO_CATCH(-1)
}

}  // extern "C"

// The C ABI declared in skd_io.h: OpenCV for 2-D images, libhdf5 for HDF5 datasets.
#include "skd_io.h"

#include <hdf5.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdlib>
#include <cstring>
#include <filesystem>
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

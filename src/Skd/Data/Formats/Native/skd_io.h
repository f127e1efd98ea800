/*
 * skd_io: the C ABI over the libraries that read and write the datasets' file formats, called
 * from C# (src/Skd/Data) by P/Invoke. OpenCV imgcodecs for 2-D images, libhdf5 for HDF5.
 * Same conventions as skd_native.h: no exception crosses; a failing call returns NULL or a
 * non-zero int32 and leaves its message in a thread-local slot (skd_io_last_error).
 */
#ifndef SKD_IO_H
#define SKD_IO_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SKD_IO_API __attribute__((visibility("default")))

SKD_IO_API const char* skd_io_last_error(void);
SKD_IO_API void skd_io_clear_error(void);

/* ---- 2-D images (OpenCV) -----------------------------------------------------------------
 * A decoded image: height x width x channels, interleaved, channels in RGB(A) order (OpenCV's
 * BGR is converted), depth 1 (8-bit unsigned), 2 (16-bit unsigned) or 4 (32-bit float) bytes. */
typedef void* skd_image;
SKD_IO_API skd_image skd_image_read(const char* path);
/* Width and height from the file's header alone (PNG, JPEG, TIFF, BMP, PNM/PAM), nothing decoded:
 * a caller checks them against its size limit before skd_image_read allocates the pixels. */
SKD_IO_API int32_t skd_image_dims(const char* path, int64_t* width, int64_t* height);
SKD_IO_API int32_t skd_image_info(skd_image image, int32_t* height, int32_t* width, int32_t* channels, int32_t* depth_bytes);
SKD_IO_API const void* skd_image_data(skd_image image);
SKD_IO_API void skd_image_free(skd_image image);
/* Encodes an interleaved RGB(A)/grey image in memory, in the format of the file extension (".png",
 * ".tif", ...): *bytes (free with skd_io_free) holds *size bytes. Nothing touches the disk, so the
 * caller writes the bytes through a writer that reports a full disk (imwrite does not). */
SKD_IO_API int32_t skd_image_encode(const char* extension, const void* data, int32_t height, int32_t width,
                                    int32_t channels, int32_t depth_bytes, uint8_t** bytes, int64_t* size);
SKD_IO_API void skd_io_free(void* bytes);

/* ---- HDF5 datasets (libhdf5) -------------------------------------------------------------
 * class: 0 integer, 1 float; size: bytes per element; is_signed for integers. */
SKD_IO_API int32_t skd_h5_dataset_info(const char* path, const char* dataset, int64_t* dims, int32_t capacity,
                                       int32_t* ndim, int32_t* type_class, int32_t* type_size, int32_t* is_signed);
/* Reads a whole dataset converted to float32 (as_type 0), float64 (1) or int64 (2). */
SKD_IO_API int32_t skd_h5_read(const char* path, const char* dataset, int32_t as_type, void* dst, int64_t nbytes);
/* Names of the datasets at the file's root, separated by '\n'; returns the length needed. */
SKD_IO_API int32_t skd_h5_list(const char* path, char* buffer, int32_t capacity);

#ifdef __cplusplus
}
#endif
#endif

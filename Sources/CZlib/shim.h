// The system zlib (inflate for PNG input, deflate and CRC-32 for PNG output).
#include <zlib.h>

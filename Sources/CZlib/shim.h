// The system zlib (zlib1g-dev), for reading gzip'd cassette bodies.
#include <zlib.h>

/* The benchmark's workload: holds MIB mebibytes of touched memory and keeps dirtying RATE MiB of it per second,
 * page by page, the way a busy service's heap changes under a migration. Built static: the pod is busybox only. */
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv) {
  if (argc != 3) return 2;
  size_t size = (size_t) atol(argv[1]) << 20;
  size_t per_tick = ((size_t) atol(argv[2]) << 20) / 100;
  volatile unsigned char *p = malloc(size);
  if (!p) return 1;
  for (size_t i = 0; i < size; i += 4096) p[i] = 1;
  struct timespec tick = {0, 10 * 1000 * 1000};
  size_t pos = 0;
  for (unsigned char v = 2;; v++) {
    for (size_t n = 0; n < per_tick; n += 4096) {
      p[pos] = v;
      pos = (pos + 4096) % size;
    }
    nanosleep(&tick, NULL);
  }
}

/* Post-copy workload: one thread faults pages in while another releases pages with madvise(MADV_DONTNEED), as
 * jemalloc's background purge does in Redis. Each release is a userfaultfd REMOVE event; until the lazy-pages
 * daemon has read it, UFFDIO_COPY fails with EAGAIN, and CRIU 4.2.1 then never re-served the faulting thread.
 *
 * One mapping, lowest address first: RELEASE MiB the releaser walks page by page, FILL MiB nobody touches, HOT MiB
 * the faulter reads page by page, INTERVAL_US apart. The lazy-pages daemon's background transfer goes up from the
 * lowest address, so it reaches the hot pages last: each read is a fault served on demand, and a fault it does not
 * serve waits for the whole fill to cross.
 *
 * Usage: release-while-faulting HOT_MIB FILL_MIB RELEASE_MIB INTERVAL_US GO_FILE OUT_FILE
 * Touches every page, then waits for GO_FILE (created after the restore), runs both threads, writes one line to
 * OUT_FILE: "stall_us=<longest single read> at=<its page> mean_us=<mean read> fault_ms=<all hot pages read>
 * release_ms=<all released> bad=<hot pages with the wrong content>", and exits. Built static: it runs with no
 * libraries around it. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL

static unsigned char *release_area;
static size_t release_pages;
static long release_us;

static long now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000L + t.tv_nsec / 1000;
}

static void *release(void *unused) {
  long start = now_us();
  for (size_t i = 0; i < release_pages; i++) madvise(release_area + i * PAGE, PAGE, MADV_DONTNEED);
  release_us = now_us() - start;
  return unused;
}

int main(int argc, char **argv) {
  if (argc != 7) return 2;
  size_t hot_pages = ((size_t) atol(argv[1]) << 20) / PAGE;
  size_t fill_pages = ((size_t) atol(argv[2]) << 20) / PAGE;
  release_pages = ((size_t) atol(argv[3]) << 20) / PAGE;
  size_t pages = release_pages + fill_pages + hot_pages;
  unsigned char *all = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (all == MAP_FAILED) return 1;
  for (size_t i = 0; i < pages; i++) all[i * PAGE] = (unsigned char) (i | 1);
  release_area = all;
  volatile unsigned char *hot = all + (release_pages + fill_pages) * PAGE;

  long interval_us = atol(argv[4]);
  struct timespec interval = {interval_us / 1000000, interval_us % 1000000 * 1000};
  struct stat st;
  struct timespec tick = {0, 1000 * 1000};
  while (stat(argv[5], &st) != 0) nanosleep(&tick, NULL);

  pthread_t releaser;
  if (pthread_create(&releaser, NULL, release, NULL)) return 1;
  long start = now_us(), stall = 0, reading = 0;
  size_t at = 0, bad = 0;
  for (size_t i = 0; i < hot_pages; i++) {
    if (interval_us > 0) nanosleep(&interval, NULL);
    long before = now_us();
    unsigned char want = (unsigned char) ((release_pages + fill_pages + i) | 1);
    if (hot[i * PAGE] != want) bad++;
    long took = now_us() - before;
    reading += took;
    if (took > stall) {
      stall = took;
      at = i;
    }
  }
  long fault_us = now_us() - start;
  pthread_join(releaser, NULL);

  FILE *out = fopen(argv[6], "w");
  if (!out) return 1;
  fprintf(out, "stall_us=%ld at=%zu mean_us=%ld fault_ms=%ld release_ms=%ld bad=%zu\n", stall, at,
          reading / (long) hot_pages, fault_us / 1000, release_us / 1000, bad);
  return fclose(out) == 0 ? 0 : 1;
}

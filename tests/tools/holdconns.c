/*
 * holdconns.c - a crowd of stalled clients for the end-to-end tests of the
 * header deadline and the connection limits (core/httpd.h): it opens
 * COUNT TCP connections to 127.0.0.1:PORT, sends BYTES bytes of junk on
 * each (default 3: the start of a request or a TLS hello that never
 * completes), prints "holding COUNT" once all are open, and holds them
 * until SECONDS pass (default 600) or SIGTERM or SIGINT, then closes them
 * and prints how many the server had closed first, and when.
 *
 *   holdconns --port N --count K [--bytes B] [--seconds S]
 *
 * Standalone (no libsws), loopback only, one thread, poll(). A connection
 * that cannot be opened within 5 s (the server's listen queue is full) is
 * an error: exit 1 with a line saying which and why; bad usage: exit 2.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_COUNT 100000
#define MAX_BYTES 65536
#define CONNECT_SECONDS 5

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
  (void)sig;
  g_stop = 1;
}

static int64_t now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int parse_num(const char *zOpt, const char *z, int64_t lo, int64_t hi,
                     int64_t *out)
{
  char *end;
  errno = 0;
  long long v = strtoll(z, &end, 10);
  if (errno || end == z || *end || v < lo || v > hi) {
    fprintf(stderr, "holdconns: --%s wants a number from %lld to %lld, not "
            "'%s'\n", zOpt, (long long)lo, (long long)hi, z);
    return -1;
  }
  *out = v;
  return 0;
}

static int usage(void)
{
  fprintf(stderr, "usage: holdconns --port N --count K [--bytes B] "
          "[--seconds S]\n");
  return 2;
}

/* Room for count sockets: the soft limit of open files is often 1024. */
static void ensure_files(int64_t count)
{
  struct rlimit rl;
  rlim_t need = (rlim_t)count + 16;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY ||
      rl.rlim_cur >= need)
    return;
  rl.rlim_cur = rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need
                    ? rl.rlim_max
                    : need;
  setrlimit(RLIMIT_NOFILE, &rl); /* if not, socket() says so below */
}

static int open_one(int port, const char *zJunk, size_t nJunk)
{
  struct sockaddr_in a;
  struct timeval tv = {CONNECT_SECONDS, 0};
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return -1;
  /* on Linux the send timeout bounds a blocking connect too */
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
      (nJunk > 0 && send(fd, zJunk, nJunk, MSG_NOSIGNAL) != (ssize_t)nJunk)) {
    int e = errno;
    close(fd);
    errno = e == EINPROGRESS ? ETIMEDOUT : e;
    return -1;
  }
  return fd;
}

int main(int argc, char **argv)
{
  static const struct option opts[] = {
      {"port", required_argument, 0, 'p'},
      {"count", required_argument, 0, 'c'},
      {"bytes", required_argument, 0, 'b'},
      {"seconds", required_argument, 0, 's'},
      {0, 0, 0, 0}};
  int64_t port = 0, count = -1, nBytes = 3, seconds = 600, v;
  int o;
  while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    const char *zOpt = "?";
    for (int i = 0; opts[i].name; i++)
      if (opts[i].val == o)
        zOpt = opts[i].name;
    switch (o) {
    case 'p':
      if (parse_num(zOpt, optarg, 1, 65535, &v) != 0)
        return 2;
      port = v;
      break;
    case 'c':
      if (parse_num(zOpt, optarg, 0, MAX_COUNT, &v) != 0)
        return 2;
      count = v;
      break;
    case 'b':
      if (parse_num(zOpt, optarg, 0, MAX_BYTES, &v) != 0)
        return 2;
      nBytes = v;
      break;
    case 's':
      if (parse_num(zOpt, optarg, 0, 86400, &v) != 0)
        return 2;
      seconds = v;
      break;
    default: return usage();
    }
  }
  if (optind < argc || port == 0 || count < 0)
    return usage();
  signal(SIGPIPE, SIG_IGN);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal; /* no SA_RESTART: poll() returns at once */
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  ensure_files(count);

  char *zJunk = malloc((size_t)nBytes + 1);
  struct pollfd *pfd = calloc((size_t)count + 1, sizeof *pfd);
  if (zJunk == NULL || pfd == NULL) {
    fprintf(stderr, "holdconns: out of memory\n");
    return 1;
  }
  memset(zJunk, 'x', (size_t)nBytes);
  int64_t nOpen = 0;
  int rc = 0;
  for (; nOpen < count && !g_stop; nOpen++) {
    pfd[nOpen].fd = open_one((int)port, zJunk, (size_t)nBytes);
    pfd[nOpen].events = POLLIN;
    if (pfd[nOpen].fd < 0) {
      fprintf(stderr, "holdconns: connection %lld of %lld to 127.0.0.1:%lld "
              "failed: %s\n", (long long)nOpen + 1, (long long)count,
              (long long)port, strerror(errno));
      rc = 1;
      break;
    }
  }
  if (rc == 0 && !g_stop) {
    printf("holding %lld\n", (long long)count);
    fflush(stdout);
  }

  /* hold; note the connections the server closes (whatever it sends
   * before, a 408 or a TLS alert, is read and dropped) */
  int64_t t0 = now_ms(), end = t0 + seconds * 1000;
  int64_t nClosed = 0, tFirst = -1, tLast = -1;
  while (rc == 0 && !g_stop && now_ms() < end) {
    int64_t wait = end - now_ms();
    int n = poll(pfd, (nfds_t)nOpen, (int)(wait > 100 ? 100 : wait));
    if (n < 0 && errno != EINTR) {
      fprintf(stderr, "holdconns: poll: %s\n", strerror(errno));
      rc = 1;
      break;
    }
    for (int64_t i = 0; n > 0 && i < nOpen; i++) {
      if (pfd[i].fd < 0 || pfd[i].revents == 0)
        continue;
      char b[4096];
      ssize_t k = recv(pfd[i].fd, b, sizeof b, MSG_DONTWAIT);
      if (k > 0 || (k < 0 && (errno == EAGAIN || errno == EINTR)))
        continue;
      close(pfd[i].fd);
      pfd[i].fd = -1; /* poll() skips it from now on */
      nClosed++;
      tLast = now_ms() - t0;
      if (tFirst < 0)
        tFirst = tLast;
    }
  }
  for (int64_t i = 0; i < nOpen; i++)
    if (pfd[i].fd >= 0)
      close(pfd[i].fd);
  if (nClosed > 0)
    printf("released %lld; the server had closed %lld (the first after "
           "%lld ms, the last after %lld ms)\n", (long long)nOpen,
           (long long)nClosed, (long long)tFirst, (long long)tLast);
  else
    printf("released %lld; the server had closed none\n", (long long)nOpen);
  free(pfd);
  free(zJunk);
  return rc;
}

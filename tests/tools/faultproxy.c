/*
 * faultproxy.c - a small fault-injecting TCP proxy for the sync fault
 * tests (tests/e2e/sync_faults.sh, tests/e2e/sync_2g.sh). It forwards
 * 127.0.0.1:LISTEN to 127.0.0.1:TARGET and, on purpose:
 *
 *   - cuts a connection after exactly N bytes in one direction (up:
 *     client to server, down: server to client), N fixed or drawn from a
 *     seed for each connection (the direction too; offsets up to
 *     --cut-max up and --cut-max-down down, which defaults to it);
 *   - delays every byte by a fixed time and caps the rate, one way each
 *     (a slow link, when tc netem is not at hand).
 *
 * It never looks inside the bytes (TLS passes through untouched, so the
 * client still verifies the server's certificate and pin). Loopback only,
 * one thread, poll(); bounded in connections, buffered bytes and
 * lifetime; prints "faultproxy listening on 127.0.0.1:PORT" once ready, a
 * line per cut, and stops on SIGTERM or SIGINT.
 *
 *   faultproxy --target PORT [--listen PORT] [--cut-up N | --cut-down N]
 *              [--seed S --cut-max M [--cut-max-down M]] [--cut-conns K]
 *              [--delay MS]
 *              [--rate BYTES_PER_S] [--max-conns N] [--lifetime SECONDS]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 32           /* open at once */
#define QUEUE_MAX (256 << 10)  /* bytes held per direction */
#define CHUNK 16384

/* Bytes read from one side, waiting for their time to go to the other. */
struct chunk {
  struct chunk *next;
  int64_t due;   /* monotonic ms when it may be written */
  size_t n, off; /* bytes in data, bytes already written */
  char data[];
};

/* One direction of a connection. */
struct dir {
  int from, to;          /* indexes into conn.fd */
  struct chunk *head, *tail;
  size_t queued;
  int64_t count;         /* bytes read so far */
  int64_t cutAt;         /* cut after this many bytes, -1: never */
  int eof;               /* the reading side has closed */
  int shut;              /* shutdown(SHUT_WR) sent to the writing side */
  double tokens;         /* rate limit: bytes that may be written now */
  int64_t refill;        /* when tokens were last topped up */
};

struct conn {
  int used;
  int id;
  int fd[2];             /* 0: client, 1: server */
  struct dir d[2];       /* 0: up (client to server), 1: down */
  int cut;               /* a cut is due once the queue is written */
};

static struct {
  int target, listen;
  int64_t cutUp, cutDown;   /* fixed cut offsets, -1: none */
  uint64_t seed;
  int64_t cutMax;           /* with seed: random offsets in 1..cutMax */
  int64_t cutMaxDown;       /* the same down (0: cutMax) */
  int cutConns;             /* only the first K connections (0: all) */
  int delayMs;
  int64_t rate;             /* bytes per second each way, 0: unlimited */
  int maxConns;             /* accepted in all, then refuse */
  int lifetime;             /* seconds, then exit */
} g = {0, 0, -1, -1, 0, 0, 0, 0, 0, 0, 1000, 600};

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
  (void)sig;
  g_stop = 1;
}

/* Bytes a rate-limited direction may send at once: 100 ms worth, at
 * least one packet. */
static double burst(void)
{
  double b = (double)g.rate / 10;
  return b < 1500 ? 1500 : b;
}

static int64_t now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* splitmix64: the offsets drawn from --seed are the same on every run. */
static uint64_t next_rand(uint64_t *s)
{
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static int parse_num(const char *zOpt, const char *z, int64_t lo, int64_t hi,
                     int64_t *out)
{
  char *end;
  errno = 0;
  long long v = strtoll(z, &end, 10);
  if (errno || end == z || *end || v < lo || v > hi) {
    fprintf(stderr, "faultproxy: %s wants a number from %lld to %lld, not "
            "'%s'\n", zOpt, (long long)lo, (long long)hi, z);
    return -1;
  }
  *out = v;
  return 0;
}

static void free_queue(struct dir *d)
{
  while (d->head) {
    struct chunk *c = d->head;
    d->head = c->next;
    free(c);
  }
  d->tail = NULL;
  d->queued = 0;
}

/* Close both sides (bAbort: with a reset) and say so, with the bytes
 * relayed each way: "connection N: WHY (X bytes up, Y down)". */
static void conn_close(struct conn *c, int bAbort, const char *zWhy)
{
  printf("connection %d: %s (%lld bytes up, %lld down)\n", c->id, zWhy,
         (long long)c->d[0].count, (long long)c->d[1].count);
  fflush(stdout);
  for (int i = 0; i < 2; i++) {
    if (c->fd[i] < 0)
      continue;
    if (bAbort) {
      /* a reset, as when a link drops mid-transfer and the peer gives up */
      struct linger l = {1, 0};
      setsockopt(c->fd[i], SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    close(c->fd[i]);
    c->fd[i] = -1;
  }
  free_queue(&c->d[0]);
  free_queue(&c->d[1]);
  c->used = 0;
}

static int connect_target(void)
{
  struct sockaddr_in a;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return -1;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)g.target);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
    close(fd);
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

static void conn_open(struct conn *c, int fdClient, int id)
{
  memset(c, 0, sizeof *c);
  c->used = 1;
  c->id = id;
  c->fd[0] = fdClient;
  c->fd[1] = connect_target();
  int one = 1;
  setsockopt(fdClient, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  for (int i = 0; i < 2; i++) {
    c->d[i].from = i;
    c->d[i].to = 1 - i;
    c->d[i].cutAt = -1;
    c->d[i].refill = now_ms();
    c->d[i].tokens = g.rate > 0 ? burst() : 0;
  }
  if (c->fd[1] < 0) {
    fprintf(stderr, "faultproxy: connection %d: cannot reach port %d\n", id,
            g.target);
    conn_close(c, 1, "refused (no server)");
    return;
  }
  if (g.cutConns > 0 && id > g.cutConns)
    return;
  c->d[0].cutAt = g.cutUp;
  c->d[1].cutAt = g.cutDown;
  if (g.cutMax > 0) {
    uint64_t r = next_rand(&g.seed);
    int dir = (int)(r & 1);
    int64_t max = dir == 1 && g.cutMaxDown > 0 ? g.cutMaxDown : g.cutMax;
    c->d[dir].cutAt = 1 + (int64_t)((r >> 1) % (uint64_t)max);
  }
  for (int i = 0; i < 2; i++)
    if (c->d[i].cutAt >= 0) {
      printf("connection %d: cut %s after %lld bytes\n", id,
             i == 0 ? "up" : "down", (long long)c->d[i].cutAt);
      fflush(stdout);
    }
}

/* Read what one side sent into its direction's queue. 0, or -1 if the
 * connection is gone. */
static int pump_in(struct conn *c, struct dir *d, int64_t now)
{
  size_t want = CHUNK;
  if (d->cutAt >= 0 && (int64_t)want > d->cutAt - d->count)
    want = (size_t)(d->cutAt - d->count);
  if (want == 0)
    return 0;
  struct chunk *k = malloc(sizeof *k + want);
  if (k == NULL)
    return -1;
  ssize_t n = recv(c->fd[d->from], k->data, want, 0);
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
    free(k);
    return 0;
  }
  if (n <= 0) {
    free(k);
    if (n < 0)
      return -1;
    d->eof = 1;
    return 0;
  }
  k->next = NULL;
  k->n = (size_t)n;
  k->off = 0;
  k->due = now + g.delayMs;
  if (d->tail)
    d->tail->next = k;
  else
    d->head = k;
  d->tail = k;
  d->queued += (size_t)n;
  d->count += n;
  if (d->cutAt >= 0 && d->count >= d->cutAt)
    c->cut = 1;
  return 0;
}

/* Write what is due from a direction's queue. 0, or -1 if gone. */
static int pump_out(struct conn *c, struct dir *d, int64_t now)
{
  while (d->head && d->head->due <= now) {
    struct chunk *k = d->head;
    size_t n = k->n - k->off;
    if (g.rate > 0) {
      d->tokens += (double)(now - d->refill) * (double)g.rate / 1000.0;
      if (d->tokens > burst())
        d->tokens = burst();
      d->refill = now;
      if (d->tokens < 1)
        return 0;
      if ((double)n > d->tokens)
        n = (size_t)d->tokens;
    }
    ssize_t w = send(c->fd[d->to], k->data + k->off, n, MSG_NOSIGNAL);
    if (w < 0 && (errno == EAGAIN || errno == EINTR))
      return 0;
    if (w < 0)
      return -1;
    if (g.rate > 0)
      d->tokens -= (double)w;
    k->off += (size_t)w;
    d->queued -= (size_t)w;
    if (k->off < k->n)
      return 0;
    d->head = k->next;
    if (d->head == NULL)
      d->tail = NULL;
    free(k);
  }
  return 0;
}

/* Milliseconds until this direction has something due (or -1). */
static int64_t next_due(const struct dir *d, int64_t now)
{
  if (d->head == NULL)
    return -1;
  int64_t t = d->head->due - now;
  if (t < 0)
    t = 0;
  if (g.rate > 0 && t == 0) {
    /* the tokens it will have now (they are topped up when writing) */
    double have = d->tokens + (double)(now - d->refill) * (double)g.rate /
                                  1000.0;
    if (have < 1)
      t = 1 + (int64_t)(1000.0 / (double)g.rate);
  }
  return t;
}

static int listen_on(int port, int *pPort)
{
  struct sockaddr_in a;
  socklen_t n = sizeof a;
  int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return -1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 16) != 0 ||
      getsockname(fd, (struct sockaddr *)&a, &n) != 0) {
    close(fd);
    return -1;
  }
  *pPort = ntohs(a.sin_port);
  return fd;
}

static int usage(void)
{
  fprintf(stderr,
          "usage: faultproxy --target PORT [--listen PORT] [--cut-up N | "
          "--cut-down N]\n"
          "           [--seed S --cut-max M [--cut-max-down M]] "
          "[--cut-conns K] [--delay MS]\n"
          "           [--rate BYTES_PER_S]\n"
          "           [--max-conns N] [--lifetime SECONDS]\n");
  return 2;
}

int main(int argc, char **argv)
{
  static const struct option opts[] = {
      {"target", required_argument, 0, 't'},
      {"listen", required_argument, 0, 'l'},
      {"cut-up", required_argument, 0, 'u'},
      {"cut-down", required_argument, 0, 'd'},
      {"seed", required_argument, 0, 's'},
      {"cut-max", required_argument, 0, 'm'},
      {"cut-max-down", required_argument, 0, 'M'},
      {"cut-conns", required_argument, 0, 'k'},
      {"delay", required_argument, 0, 'D'},
      {"rate", required_argument, 0, 'r'},
      {"max-conns", required_argument, 0, 'c'},
      {"lifetime", required_argument, 0, 'L'},
      {0, 0, 0, 0}};
  static struct conn conns[MAX_CONNS];
  int64_t v;
  int o, port, nAccepted = 0, nCut = 0;
  while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    const char *zOpt = opts[0].name;
    for (int i = 0; opts[i].name; i++)
      if (opts[i].val == o)
        zOpt = opts[i].name;
    if (o == '?')
      return usage();
    if (parse_num(zOpt, optarg, 0, INT64_MAX / 2, &v) != 0)
      return 2;
    switch (o) {
    case 't': g.target = (int)(v > 65535 ? 0 : v); break;
    case 'l': g.listen = (int)(v > 65535 ? -1 : v); break;
    case 'u': g.cutUp = v; break;
    case 'd': g.cutDown = v; break;
    case 's': g.seed = (uint64_t)v; break;
    case 'm': g.cutMax = v; break;
    case 'M': g.cutMaxDown = v; break;
    case 'k': g.cutConns = (int)(v > 1000000 ? 1000000 : v); break;
    case 'D': g.delayMs = (int)(v > 60000 ? 60000 : v); break;
    case 'r': g.rate = v; break;
    case 'c': g.maxConns = (int)(v > 1000000 ? 1000000 : v); break;
    case 'L': g.lifetime = (int)(v > 86400 ? 86400 : v); break;
    default: return usage();
    }
  }
  if (optind < argc || g.target <= 0 || g.listen < 0)
    return usage();
  signal(SIGPIPE, SIG_IGN);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  int lfd = listen_on(g.listen, &port);
  if (lfd < 0) {
    fprintf(stderr, "faultproxy: cannot listen on 127.0.0.1:%d: %s\n",
            g.listen, strerror(errno));
    return 1;
  }
  printf("faultproxy listening on 127.0.0.1:%d\n", port);
  fflush(stdout);
  int64_t end = now_ms() + (int64_t)g.lifetime * 1000;
  while (!g_stop && now_ms() < end) {
    struct pollfd pfd[1 + 2 * MAX_CONNS];
    struct {
      int conn, side;
    } who[1 + 2 * MAX_CONNS];
    int np = 0, nOpen = 0;
    int64_t now = now_ms(), wait = end - now;
    for (int i = 0; i < MAX_CONNS; i++)
      nOpen += conns[i].used;
    if (nOpen < MAX_CONNS && nAccepted < g.maxConns) {
      pfd[np].fd = lfd;
      pfd[np].events = POLLIN;
      who[np].conn = -1;
      np++;
    }
    for (int i = 0; i < MAX_CONNS; i++) {
      struct conn *c = &conns[i];
      if (!c->used)
        continue;
      for (int side = 0; side < 2; side++) {
        struct dir *in = &c->d[side];      /* what this side sends */
        struct dir *out = &c->d[1 - side]; /* what it is sent */
        short ev = 0;
        if (!in->eof && !c->cut && in->queued < QUEUE_MAX)
          ev |= POLLIN;
        int64_t t = next_due(out, now);
        if (t == 0)
          ev |= POLLOUT;
        else if (t > 0 && t < wait)
          wait = t;
        /* nothing wanted from this side now: not polled (a closed peer
         * would report POLLHUP for ever) */
        pfd[np].fd = ev ? c->fd[side] : -1;
        pfd[np].events = ev;
        who[np].conn = i;
        who[np].side = side;
        np++;
      }
    }
    if (wait > 100)
      wait = 100; /* notice SIGTERM and the lifetime promptly */
    int n = poll(pfd, (nfds_t)np, (int)wait);
    if (n < 0 && errno != EINTR)
      break;
    now = now_ms();
    for (int p = 0; n > 0 && p < np; p++) {
      if (who[p].conn < 0) {
        if (pfd[p].revents & POLLIN) {
          int fd = accept(lfd, NULL, NULL);
          for (int i = 0; fd >= 0 && i < MAX_CONNS; i++)
            if (!conns[i].used) {
              conn_open(&conns[i], fd, ++nAccepted);
              fd = -1;
            }
          if (fd >= 0)
            close(fd);
        }
        continue;
      }
      struct conn *c = &conns[who[p].conn];
      int side = who[p].side;
      if (!c->used)
        continue;
      if ((pfd[p].revents & (POLLIN | POLLHUP | POLLERR)) &&
          (pfd[p].events & POLLIN) && pump_in(c, &c->d[side], now) != 0) {
        conn_close(c, 1, "reset by a peer");
        continue;
      }
      if ((pfd[p].revents & (POLLOUT | POLLHUP | POLLERR)) &&
          (pfd[p].events & POLLOUT) && pump_out(c, &c->d[1 - side], now))
        conn_close(c, 1, "reset by a peer");
    }
    /* cuts, half-closes and finished connections */
    for (int i = 0; i < MAX_CONNS; i++) {
      struct conn *c = &conns[i];
      if (!c->used)
        continue;
      if (c->cut && c->d[0].queued == 0 && c->d[1].queued == 0) {
        nCut++;
        conn_close(c, 1, "cut");
        continue;
      }
      for (int k = 0; k < 2; k++) {
        struct dir *d = &c->d[k];
        if (d->eof && d->queued == 0 && !d->shut) {
          shutdown(c->fd[d->to], SHUT_WR);
          d->shut = 1;
        }
      }
      if (c->d[0].shut && c->d[1].shut)
        conn_close(c, 0, "closed");
    }
  }
  for (int i = 0; i < MAX_CONNS; i++)
    if (conns[i].used)
      conn_close(&conns[i], 0, "closed at exit");
  close(lfd);
  printf("faultproxy stopped: %d connection%s, %d cut\n", nAccepted,
         nAccepted == 1 ? "" : "s", nCut);
  return 0;
}

/*
 * gantry-proxy: the TCP half of a published port. The engine binds the
 * listening socket itself (so a port in use stays the engine's own, clear
 * error) and hands it over as fd 3; this process accepts on it and copies
 * each connection to the container with splice(2) through a pipe, so the
 * bytes never enter user space, which is what lets docker-proxy outrun a
 * copy loop in the engine's event loop.
 *
 *   gantry-proxy <target-ip> <target-port>
 *
 * It dies with the engine (PR_SET_PDEATHSIG), so an engine killed with
 * SIGKILL leaves no listener behind to block the port when it restarts and
 * publishes the same ports again. It holds no state worth flushing, so the
 * default action of SIGTERM (or SIGKILL) is its whole shutdown.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define LISTEN_FD 3
/* Bigger pipes mean fewer splice calls per megabyte; the kernel may refuse
 * (pipe-max-size, per-user pipe limits) and then the default 64 KiB serves. */
#define PIPE_BYTES (1 << 20)
#define CHUNK (1 << 20)

/* One direction of a connection: bytes read from `from` sit in the pipe
 * until written to `to`. */
struct flow {
  int pipe_r, pipe_w;
  size_t queued;
  int eof;      /* `from` has no more to send */
  int shut;     /* `to` has been told so (shutdown SHUT_WR) */
};

struct conn {
  int client, upstream;
  int connected;
  struct flow up, down; /* client → upstream, upstream → client */
};

static int epfd;
static struct sockaddr_storage target;
static socklen_t target_len;
static int open_flow(struct flow *f) {
  int p[2];
  if (pipe2(p, O_NONBLOCK | O_CLOEXEC) < 0) return -1;
  fcntl(p[1], F_SETPIPE_SZ, PIPE_BYTES);
  f->pipe_r = p[0];
  f->pipe_w = p[1];
  f->queued = 0;
  f->eof = 0;
  f->shut = 0;
  return 0;
}

static void close_conn(struct conn *c) {
  /* Closing an fd drops it from the epoll set; events already fetched for
   * this connection in the same batch are skipped through `closed`. */
  close(c->client);
  close(c->upstream);
  close(c->up.pipe_r);
  close(c->up.pipe_w);
  close(c->down.pipe_r);
  close(c->down.pipe_w);
  free(c);
}

/* Moves what it can; 0 when the flow waits for an event, -1 when the
 * connection is broken. */
static int pump(struct flow *f, int from, int to) {
  for (;;) {
    while (f->queued > 0) {
      ssize_t n = splice(f->pipe_r, NULL, to, NULL, f->queued, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
      if (n > 0) {
        f->queued -= (size_t)n;
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno == EAGAIN) return 0;
      return -1;
    }
    if (f->eof) {
      if (!f->shut) {
        shutdown(to, SHUT_WR);
        f->shut = 1;
      }
      return 0;
    }
    ssize_t n = splice(from, NULL, f->pipe_w, NULL, CHUNK, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    if (n > 0) {
      f->queued += (size_t)n;
    } else if (n == 0) {
      f->eof = 1;
    } else if (errno == EINTR) {
      continue;
    } else if (errno == EAGAIN) {
      return 0;
    } else {
      return -1;
    }
  }
}

/* 1 when the connection is finished (closed), 0 while it goes on. */
static int service(struct conn *c) {
  if (!c->connected) {
    /* SO_ERROR stays 0 while the connect is pending, so a client that
     * speaks first is told apart from a finished connect by getpeername. */
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(c->upstream, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err != 0) {
      close_conn(c);
      return 1;
    }
    struct sockaddr_storage peer;
    socklen_t plen = sizeof peer;
    if (getpeername(c->upstream, (struct sockaddr *)&peer, &plen) < 0) return 0;
    c->connected = 1;
  }
  if (pump(&c->up, c->client, c->upstream) < 0 || pump(&c->down, c->upstream, c->client) < 0 || (c->up.shut && c->down.shut)) {
    close_conn(c);
    return 1;
  }
  return 0;
}

static int watch(int fd, void *ptr) {
  struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data.ptr = ptr};
  return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

static void accept_all(void) {
  for (;;) {
    int client = accept4(LISTEN_FD, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (client < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      /* Out of fds, the listener stays readable: a short pause keeps the
       * level-triggered loop from spinning until connections close. */
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) usleep(10000);
      return;
    }
    int one = 1;
    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct conn *c = calloc(1, sizeof *c);
    int upstream = socket(target.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (!c || upstream < 0 || open_flow(&c->up) < 0) {
      if (upstream >= 0) close(upstream);
      close(client);
      free(c);
      continue;
    }
    if (open_flow(&c->down) < 0) {
      close(c->up.pipe_r);
      close(c->up.pipe_w);
      close(upstream);
      close(client);
      free(c);
      continue;
    }
    setsockopt(upstream, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->client = client;
    c->upstream = upstream;
    if (connect(upstream, (struct sockaddr *)&target, target_len) < 0 && errno != EINPROGRESS) {
      close_conn(c);
      continue;
    }
    if (watch(client, c) < 0 || watch(upstream, c) < 0) close_conn(c);
  }
}

int main(int argc, char **argv) {
  pid_t parent = getppid();
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent) return 1;
  if (argc != 3) {
    fprintf(stderr, "usage: gantry-proxy <target-ip> <target-port> (listening socket on fd 3)\n");
    return 2;
  }
  /* inet_pton rather than getaddrinfo: the static build then needs no NSS. */
  char *end;
  long port = strtol(argv[2], &end, 10);
  struct sockaddr_in *v4 = (struct sockaddr_in *)&target;
  struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&target;
  if (*end || port < 1 || port > 65535) {
    fprintf(stderr, "gantry-proxy: bad target port %s\n", argv[2]);
    return 2;
  }
  if (inet_pton(AF_INET, argv[1], &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons((uint16_t)port);
    target_len = sizeof *v4;
  } else if (inet_pton(AF_INET6, argv[1], &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons((uint16_t)port);
    target_len = sizeof *v6;
  } else {
    fprintf(stderr, "gantry-proxy: bad target address %s\n", argv[1]);
    return 2;
  }

  int type;
  socklen_t tlen = sizeof type;
  if (getsockopt(LISTEN_FD, SOL_SOCKET, SO_TYPE, &type, &tlen) < 0 || type != SOCK_STREAM) {
    fprintf(stderr, "gantry-proxy: fd 3 is not a listening TCP socket\n");
    return 2;
  }
  fcntl(LISTEN_FD, F_SETFL, fcntl(LISTEN_FD, F_GETFL) | O_NONBLOCK);
  fcntl(LISTEN_FD, F_SETFD, FD_CLOEXEC);

  signal(SIGPIPE, SIG_IGN);

  epfd = epoll_create1(EPOLL_CLOEXEC);
  if (epfd < 0) return 1;
  struct epoll_event lev = {.events = EPOLLIN, .data.ptr = NULL};
  if (epoll_ctl(epfd, EPOLL_CTL_ADD, LISTEN_FD, &lev) < 0) return 1;

  struct epoll_event events[64];
  for (;;) {
    int n = epoll_wait(epfd, events, 64, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      return 1;
    }
    /* Both fds of a connection may report in one batch; servicing closes the
     * connection at most once, so later events for it are matched and
     * dropped here. */
    struct conn *closed[64];
    int nclosed = 0;
    for (int i = 0; i < n; i++) {
      struct conn *c = events[i].data.ptr;
      if (!c) {
        accept_all();
        continue;
      }
      int gone = 0;
      for (int j = 0; j < nclosed; j++) gone |= closed[j] == c;
      if (gone) continue;
      if (service(c)) closed[nclosed++] = c;
    }
  }
  return 0;
}

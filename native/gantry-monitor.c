/*
 * gantry-monitor: one small process per container (and per exec) that holds
 * the container's stdio or pty, so the container outlives the Node engine.
 *
 * Node cannot receive a console fd over SCM_RIGHTS, be a child subreaper or
 * keep pipes across its own restart; this process does, in one poll() loop,
 * with libc only, to stay near 1 MiB of RSS. It runs the OCI runtime (runc or
 * crun), reports readiness on a sync fd, fans output out to attach clients as
 * docker-style frames and to a json-file log, takes stdin and resize frames
 * back, reaps the container and records its exit in exit.json.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 64
/* A client this far behind holds the container's output back (it blocks on
 * its pipe, as under docker) for as long as the client keeps taking bytes;
 * one that takes nothing for CLIENT_STALL_MS meanwhile is dropped, so a
 * stalled client can neither block the container for good nor cost more
 * than bounded memory. (Dropping at the limit alone lost a reading client
 * that a loaded machine let fall behind.) */
#define CLIENT_OUT_LIMIT (8 * 1024 * 1024)
#define CLIENT_OUT_HARD (2 * CLIENT_OUT_LIMIT) /* never buffered past this, held back or not */
#define CLIENT_STALL_MS 3000
#define CLIENT_FRAME_LIMIT (1024 * 1024)
#define LOG_LINE_LIMIT (16 * 1024) /* docker's json-file splits longer partial lines */
#define CAPTURE_LIMIT (64 * 1024)
#define FIRST_CLIENT_WAIT_MS 60000
#define DRAIN_QUIET_MS 100
#define DRAIN_DEADLINE_MS 2000
#define CLIENT_FINISH_MS 1000 /* for the last output to leave and each client to close its side */
#define CLIENT_FINISH_MAX_MS 30000 /* ... longer only while a client still takes its output */

enum { STREAM_STDIN = 0, STREAM_STDOUT = 1, STREAM_STDERR = 2, FRAME_CLOSE_STDIN = 3, FRAME_RESIZE = 4, FRAME_EXITED = 5 };
#define RELEASE_WAIT_MS 10000

struct buf {
  unsigned char *p;
  size_t len, cap;
};

struct client {
  int fd;
  int dead;
  struct buf out, in;
  long long progress_ms; /* when it last took bytes, or had none waiting */
};

static struct {
  int exec_mode, run_mode, tty, with_stdin, detach, sync_fd;
  const char *runtime, *root, *id, *state, *bundle, *process, *log, *rootfs, *mount_overlay, *mount_cwd;
  long long log_max;
  int log_files;
} opt = {.sync_fd = -1, .log_files = 1};

static char pid_path[4096], attach_path[4096], console_path[4096], exit_path[4096], exit_tmp[4096];

static int listen_fd = -1, sig_fd = -1;
static int out_fd[3] = {-1, -1, -1}; /* [1] stdout (or pty master), [2] stderr */
static int in_fd = -1, in_is_master, in_close_pending;
static struct buf in_pending;
static int master_fd = -1;
static struct client clients[MAX_CLIENTS];
static int nclients;

static int log_fd = -1;
static long long log_size;
static struct buf log_line[3];

static pid_t runtime_pid = -1, container_pid = -1, release_pid = -1;
static int rootfs_mounted;
static int release_done;
static int runtime_done, runtime_status, container_done, container_status;
static struct timespec finished_at;
/* Exits reaped before we learnt the container's pid (a fast exec process). */
static struct {
  pid_t pid;
  int status;
  struct timespec at;
} early[32];
static int nearly;

/* ---------- small buffers ---------- */

static int buf_add(struct buf *b, const void *d, size_t n) {
  if (b->len + n > b->cap) {
    size_t c = b->cap ? b->cap : 4096;
    while (c < b->len + n) c *= 2;
    unsigned char *q = realloc(b->p, c);
    if (!q) return -1;
    b->p = q;
    b->cap = c;
  }
  memcpy(b->p + b->len, d, n);
  b->len += n;
  return 0;
}

static int buf_str(struct buf *b, const char *s) { return buf_add(b, s, strlen(s)); }

static void buf_drop(struct buf *b, size_t n) {
  memmove(b->p, b->p + n, b->len - n);
  b->len -= n;
  /* Give a burst's memory back, so an idle monitor stays small. */
  if (b->len == 0 && b->cap > 65536) {
    free(b->p);
    b->p = NULL;
    b->cap = 0;
  }
}

static void buf_free(struct buf *b) {
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
}

/* ---------- JSON and time ---------- */

/* Length of one valid UTF-8 sequence at s, or 0 when it is not valid. */
static size_t utf8_len(const unsigned char *s, size_t n) {
  unsigned c = s[0];
  size_t len;
  unsigned lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) len = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F; /* no UTF-16 surrogates */
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else return 0;
  if (n < len) return 0;
  if (s[1] < lo || s[1] > hi) return 0;
  for (size_t i = 2; i < len; i++)
    if ((s[i] & 0xC0) != 0x80) return 0;
  return len;
}

/* A JSON string of arbitrary bytes; invalid UTF-8 becomes U+FFFD, as Go's encoder does. */
static int json_str(struct buf *b, const unsigned char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  int rc = buf_add(b, "\"", 1);
  size_t i = 0;
  while (i < n && rc == 0) {
    unsigned c = s[i];
    if (c >= 0x80) {
      size_t l = utf8_len(s + i, n - i);
      if (l == 0) {
        rc = buf_str(b, "\\ufffd");
        i++;
      } else {
        rc = buf_add(b, s + i, l);
        i += l;
      }
      continue;
    }
    char e[7];
    switch (c) {
    case '"': rc = buf_str(b, "\\\""); break;
    case '\\': rc = buf_str(b, "\\\\"); break;
    case '\n': rc = buf_str(b, "\\n"); break;
    case '\r': rc = buf_str(b, "\\r"); break;
    case '\t': rc = buf_str(b, "\\t"); break;
    case '\b': rc = buf_str(b, "\\b"); break;
    case '\f': rc = buf_str(b, "\\f"); break;
    default:
      if (c < 0x20) {
        memcpy(e, "\\u00", 4);
        e[4] = hex[c >> 4];
        e[5] = hex[c & 15];
        rc = buf_add(b, e, 6);
      } else {
        rc = buf_add(b, s + i, 1);
      }
    }
    i++;
  }
  if (rc == 0) rc = buf_add(b, "\"", 1);
  return rc;
}

static void rfc3339(const struct timespec *ts, char *out, size_t n) {
  struct tm tm;
  gmtime_r(&ts->tv_sec, &tm);
  snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
           tm.tm_hour, tm.tm_min, tm.tm_sec, ts->tv_nsec);
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---------- io helpers ---------- */

static int write_all(int fd, const void *d, size_t n) {
  const char *p = d;
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

static void set_nonblock(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

/*
 * Everything written here lives in the state dir, runtime state that means
 * nothing after a reboot: the rename keeps it whole if we or the engine are
 * killed, and an fsync would only add to every start and exit.
 */
static int write_file_atomic(const char *path, const char *tmp, const void *d, size_t n) {
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  if (write_all(fd, d, n) < 0) {
    close(fd);
    return -1;
  }
  close(fd);
  return rename(tmp, path);
}

/* ---------- readiness ---------- */

/* Returns -1 when the reader is gone (EPIPE: SIGPIPE is ignored). */
static int send_sync(const char *line) {
  if (opt.sync_fd < 0) return 0;
  int rc = write_all(opt.sync_fd, line, strlen(line));
  close(opt.sync_fd);
  opt.sync_fd = -1;
  return rc;
}

/* A line that is not the last: the sync fd stays open. */
static void send_line(const char *line) {
  if (opt.sync_fd >= 0) write_all(opt.sync_fd, line, strlen(line));
}

/* Before readiness a failure is reported on the sync fd and the monitor exits 1. */
static void fail_ready(const char *fmt, ...) {
  char msg[CAPTURE_LIMIT + 256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  size_t n = strlen(msg);
  while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' ' || msg[n - 1] == '\r')) n--;
  struct buf b = {0};
  buf_str(&b, "{\"error\":");
  json_str(&b, (const unsigned char *)msg, n);
  buf_str(&b, "}\n");
  buf_add(&b, "", 1);
  if (opt.sync_fd >= 0) send_sync((const char *)b.p);
  else fprintf(stderr, "gantry-monitor: %.*s\n", (int)n, msg);
  if (attach_path[0]) unlink(attach_path);
  if (console_path[0]) unlink(console_path);
  if (runtime_pid > 0 && !runtime_done) kill(runtime_pid, SIGKILL);
  if (rootfs_mounted) umount2(opt.rootfs, MNT_DETACH); /* the runtime may still be letting go of it */
  exit(1);
}

/* ---------- log file (docker json-file) ---------- */

static void log_rotate(void) {
  char from[4200], to[4200];
  close(log_fd);
  int flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC;
  if (opt.log_files > 1) {
    for (int i = opt.log_files - 1; i >= 1; i--) {
      snprintf(to, sizeof to, "%s.%d", opt.log, i);
      if (i == 1) snprintf(from, sizeof from, "%s", opt.log);
      else snprintf(from, sizeof from, "%s.%d", opt.log, i - 1);
      rename(from, to); /* a missing older file is fine */
    }
  } else {
    flags |= O_TRUNC; /* one file in all: start it over, as docker does */
  }
  log_fd = open(opt.log, flags, 0640);
  log_size = 0;
}

static void log_emit(int stream, const unsigned char *d, size_t n) {
  struct buf b = {0};
  char ts[64];
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  rfc3339(&now, ts, sizeof ts);
  buf_str(&b, "{\"log\":");
  json_str(&b, d, n);
  buf_str(&b, stream == STREAM_STDERR ? ",\"stream\":\"stderr\",\"time\":\"" : ",\"stream\":\"stdout\",\"time\":\"");
  buf_str(&b, ts);
  if (buf_str(&b, "\"}\n") == 0 && log_fd >= 0 && write_all(log_fd, b.p, b.len) == 0) {
    log_size += (long long)b.len;
    if (opt.log_max > 0 && log_size >= opt.log_max) log_rotate();
  }
  buf_free(&b);
}

static void log_chunk(int stream, const unsigned char *d, size_t n) {
  struct buf *l = &log_line[stream];
  if (log_fd < 0 || buf_add(l, d, n) < 0) return;
  for (;;) {
    unsigned char *nl = memchr(l->p, '\n', l->len < LOG_LINE_LIMIT ? l->len : LOG_LINE_LIMIT);
    size_t cut;
    if (nl) cut = (size_t)(nl - l->p) + 1;
    else if (l->len > LOG_LINE_LIMIT) {
      cut = LOG_LINE_LIMIT;
      /* Do not split a UTF-8 sequence across two entries. */
      for (int back = 0; back < 3 && (l->p[cut] & 0xC0) == 0x80; back++) cut--;
    } else break;
    log_emit(stream, l->p, cut);
    buf_drop(l, cut);
  }
}

static void log_flush_partial(void) {
  for (int s = 1; s <= 2; s++) {
    if (log_line[s].len) log_emit(s, log_line[s].p, log_line[s].len);
    buf_free(&log_line[s]);
  }
}

/* ---------- attach clients ---------- */

static void client_drop(struct client *c) {
  if (c->dead) return;
  close(c->fd);
  c->dead = 1;
  buf_free(&c->out);
  buf_free(&c->in);
}

static void client_flush(struct client *c) {
  while (!c->dead && c->out.len > 0) {
    ssize_t w = send(c->fd, c->out.p, c->out.len, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN) client_drop(c);
      return;
    }
    buf_drop(&c->out, (size_t)w);
    c->progress_ms = now_ms();
  }
}

static void client_send(struct client *c, int stream, const unsigned char *d, size_t n) {
  unsigned char h[8] = {(unsigned char)stream, 0, 0, 0,
                        (unsigned char)(n >> 24), (unsigned char)(n >> 16), (unsigned char)(n >> 8), (unsigned char)n};
  if (c->dead) return;
  if (c->out.len == 0) c->progress_ms = now_ms();
  if (c->out.len + n + 8 > CLIENT_OUT_HARD || buf_add(&c->out, h, 8) < 0 || buf_add(&c->out, d, n) < 0) {
    client_drop(c);
    return;
  }
  client_flush(c);
}

static void client_add(int fd) {
  if (nclients >= MAX_CLIENTS) {
    close(fd);
    return;
  }
  set_nonblock(fd);
  memset(&clients[nclients], 0, sizeof clients[0]);
  clients[nclients].progress_ms = now_ms();
  clients[nclients++].fd = fd;
}

/*
 * While the container runs: drops clients behind and stalled too long, and
 * says whether one behind but still taking bytes holds the output back; if
 * so, *wake_ms is when the first of them would count as stalled.
 */
static int clients_holding(long long *wake_ms) {
  int held = 0;
  long long now = now_ms();
  for (int i = 0; i < nclients; i++) {
    struct client *c = &clients[i];
    if (c->dead || c->out.len <= CLIENT_OUT_LIMIT) continue;
    long long stall_at = c->progress_ms + CLIENT_STALL_MS;
    if (now >= stall_at) {
      client_drop(c);
      continue;
    }
    if (!held || stall_at < *wake_ms) *wake_ms = stall_at;
    held = 1;
  }
  return held;
}

static void clients_sweep(void) {
  int j = 0;
  for (int i = 0; i < nclients; i++)
    if (!clients[i].dead) clients[j++] = clients[i];
  nclients = j;
}

static void emit(int stream, const unsigned char *d, size_t n) {
  for (int i = 0; i < nclients; i++) client_send(&clients[i], stream, d, n);
  if (!opt.exec_mode) log_chunk(stream, d, n);
}

/* ---------- container stdin ---------- */

static void stdin_close_now(void) {
  if (in_fd >= 0 && !in_is_master) close(in_fd);
  in_fd = -1;
  buf_free(&in_pending);
}

static void stdin_flush(void) {
  while (in_fd >= 0 && in_pending.len > 0) {
    ssize_t w = write(in_fd, in_pending.p, in_pending.len);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN) stdin_close_now(); /* the container closed its stdin */
      return;
    }
    buf_drop(&in_pending, (size_t)w);
  }
  if (in_fd >= 0 && in_pending.len == 0 && in_close_pending) stdin_close_now();
}

static void on_frame(int type, const unsigned char *d, size_t n) {
  switch (type) {
  case STREAM_STDIN:
    if (in_fd < 0 || in_close_pending) return; /* no stdin: ignored, as docker does */
    if (buf_add(&in_pending, d, n) == 0) stdin_flush();
    break;
  case FRAME_CLOSE_STDIN:
    /* A pty master cannot be half-closed; closing it would hang the terminal up. */
    if (in_fd < 0 || in_is_master) return;
    in_close_pending = 1;
    stdin_flush();
    break;
  case FRAME_RESIZE:
    if (master_fd >= 0 && n >= 4) {
      struct winsize ws = {0};
      ws.ws_row = (unsigned short)(d[0] << 8 | d[1]);
      ws.ws_col = (unsigned short)(d[2] << 8 | d[3]);
      ioctl(master_fd, TIOCSWINSZ, &ws);
    }
    break;
  default:
    break;
  }
}

static void client_read(struct client *c) {
  unsigned char tmp[16384];
  ssize_t r = read(c->fd, tmp, sizeof tmp);
  if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
    client_drop(c);
    return;
  }
  if (r < 0) return;
  if (buf_add(&c->in, tmp, (size_t)r) < 0) {
    client_drop(c);
    return;
  }
  while (!c->dead && c->in.len >= 8) {
    const unsigned char *h = c->in.p;
    size_t n = (size_t)h[4] << 24 | (size_t)h[5] << 16 | (size_t)h[6] << 8 | h[7];
    if (n > CLIENT_FRAME_LIMIT) {
      client_drop(c);
      return;
    }
    if (c->in.len < 8 + n) break;
    on_frame(h[0], h + 8, n);
    buf_drop(&c->in, 8 + n);
  }
}

/* ---------- children ---------- */

static void note_exit(pid_t pid, int status) {
  if (pid == release_pid) {
    release_done = 1;
    return;
  }
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  if (pid == runtime_pid) {
    runtime_done = 1;
    runtime_status = status;
  }
  if (container_pid > 0 && pid == container_pid) {
    container_done = 1;
    container_status = status;
    finished_at = now;
  } else if (container_pid <= 0 && pid != runtime_pid && nearly < (int)(sizeof early / sizeof early[0])) {
    early[nearly].pid = pid;
    early[nearly].status = status;
    early[nearly].at = now;
    nearly++;
  }
}

/* As subreaper every orphan of the container lands here: reap them all. */
static void reap_all(void) {
  struct signalfd_siginfo si;
  while (read(sig_fd, &si, sizeof si) > 0) {
  }
  int status;
  pid_t p;
  while ((p = waitpid(-1, &status, WNOHANG)) > 0) note_exit(p, status);
}

static int listen_unix(const char *path, int backlog) {
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof sa.sun_path) {
    errno = ENAMETOOLONG;
    return -1;
  }
  strcpy(sa.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  unlink(path);
  mode_t old = umask(0077); /* the socket is born 0600 */
  int rc = bind(fd, (struct sockaddr *)&sa, sizeof sa);
  umask(old);
  if (rc < 0 || listen(fd, backlog) < 0) {
    close(fd);
    return -1;
  }
  return fd;
}

static int recv_fd(int sock) {
  char data[256];
  struct iovec iov = {.iov_base = data, .iov_len = sizeof data};
  union {
    struct cmsghdr h;
    char space[CMSG_SPACE(sizeof(int))];
  } ctl;
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.space, .msg_controllen = sizeof ctl.space};
  ssize_t r;
  do r = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  while (r < 0 && errno == EINTR);
  if (r < 0) return -1;
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) return -1;
  int fd;
  memcpy(&fd, CMSG_DATA(c), sizeof fd);
  return fd;
}

static pid_t run_runtime(int child_in, int child_out, int child_err) {
  const char *argv[24];
  int a = 0;
  argv[a++] = opt.runtime;
  argv[a++] = "--root";
  argv[a++] = opt.root;
  if (opt.exec_mode) {
    argv[a++] = "exec";
    argv[a++] = "--detach";
    argv[a++] = "--pid-file";
    argv[a++] = pid_path;
    argv[a++] = "--process";
    argv[a++] = opt.process;
    if (opt.tty) {
      argv[a++] = "--tty";
      argv[a++] = "--console-socket";
      argv[a++] = console_path;
    }
  } else {
    argv[a++] = opt.run_mode ? "run" : "create";
    if (opt.run_mode) argv[a++] = "--detach";
    argv[a++] = "--bundle";
    argv[a++] = opt.bundle;
    argv[a++] = "--pid-file";
    argv[a++] = pid_path;
    if (opt.tty) {
      argv[a++] = "--console-socket";
      argv[a++] = console_path;
    }
  }
  argv[a++] = opt.id;
  argv[a] = NULL;

  pid_t pid = fork();
  if (pid != 0) return pid;
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  signal(SIGPIPE, SIG_DFL);
  signal(SIGHUP, SIG_DFL);
  /* dup2 clears close-on-exec: only these three reach the runtime (and, without a tty, the container). */
  dup2(child_in, 0);
  dup2(child_out, 1);
  dup2(child_err, 2);
  execv(opt.runtime, (char *const *)argv);
  dprintf(2, "cannot run %s: %s\n", opt.runtime, strerror(errno));
  _exit(127);
}

/*
 * run mode, when the engine died while the runtime ran the container: no
 * record says it runs, so no one would ever stop it. Undo the run.
 */
static void undo_run(void) {
  pid_t pid = fork();
  if (pid == 0) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execl(opt.runtime, opt.runtime, "--root", opt.root, "delete", "--force", opt.id, (char *)NULL);
    _exit(127);
  }
  int status;
  if (pid > 0)
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  if (rootfs_mounted) umount2(opt.rootfs, MNT_DETACH);
  unlink(attach_path);
  exit(1);
}

static pid_t read_pid_file(void) {
  char b[32] = {0};
  int fd = open(pid_path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t r = read(fd, b, sizeof b - 1);
  close(fd);
  return r > 0 ? (pid_t)atol(b) : -1;
}

/* ---------- exit record ---------- */

static void write_exit(const char *error) {
  char line[512], ts[64];
  int code = 255, sig = 0;
  if (container_done) {
    if (WIFEXITED(container_status)) code = WEXITSTATUS(container_status);
    else if (WIFSIGNALED(container_status)) {
      sig = WTERMSIG(container_status);
      code = 128 + sig;
    }
  } else {
    clock_gettime(CLOCK_REALTIME, &finished_at);
  }
  rfc3339(&finished_at, ts, sizeof ts);
  char sigtxt[16];
  if (sig) snprintf(sigtxt, sizeof sigtxt, "%d", sig);
  else strcpy(sigtxt, "null");
  struct buf b = {0};
  snprintf(line, sizeof line, "{\"exitCode\":%d,\"signal\":%s,\"finishedAt\":\"%s\",\"oomKilled\":false", code, sigtxt, ts);
  buf_str(&b, line);
  if (error) {
    buf_str(&b, ",\"error\":");
    json_str(&b, (const unsigned char *)error, strlen(error));
  }
  buf_str(&b, "}\n");
  write_file_atomic(exit_path, exit_tmp, b.p, b.len);
  buf_free(&b);
}

/* After readiness a failure still leaves an exit record, so the engine learns why. */
static void fail_after_ready(const char *what) {
  char msg[512];
  snprintf(msg, sizeof msg, "monitor: %s: %s", what, strerror(errno));
  log_flush_partial();
  write_exit(msg);
  unlink(attach_path);
  exit(1);
}

/* ---------- arguments ---------- */

static void usage(const char *why) {
  fprintf(stderr,
          "gantry-monitor: %s\n"
          "usage: gantry-monitor create|run --runtime PATH --runtime-root DIR --id ID --state-dir DIR --bundle DIR\n"
          "         [--log FILE --log-max-size BYTES --log-max-files N] [--rootfs DIR [--mount-overlay OPTIONS [--mount-cwd DIR]]] [--tty] [--stdin] [--sync-fd N]\n"
          "       gantry-monitor exec --runtime PATH --runtime-root DIR --id ID --state-dir DIR --process FILE\n"
          "         [--tty] [--stdin] [--sync-fd N] [--detach]\n",
          why);
  exit(2);
}

static void parse_args(int argc, char **argv) {
  if (argc < 2) usage("missing mode");
  if (strcmp(argv[1], "exec") == 0) opt.exec_mode = 1;
  else if (strcmp(argv[1], "run") == 0) opt.run_mode = 1;
  else if (strcmp(argv[1], "create") != 0) usage("mode must be create, run or exec");
  for (int i = 2; i < argc; i++) {
    const char *k = argv[i];
    if (strcmp(k, "--tty") == 0) opt.tty = 1;
    else if (strcmp(k, "--stdin") == 0) opt.with_stdin = 1;
    else if (strcmp(k, "--detach") == 0) opt.detach = 1;
    else {
      if (i + 1 >= argc) usage("option without a value");
      const char *v = argv[++i];
      if (strcmp(k, "--runtime") == 0) opt.runtime = v;
      else if (strcmp(k, "--runtime-root") == 0) opt.root = v;
      else if (strcmp(k, "--id") == 0) opt.id = v;
      else if (strcmp(k, "--state-dir") == 0) opt.state = v;
      else if (strcmp(k, "--bundle") == 0) opt.bundle = v;
      else if (strcmp(k, "--process") == 0) opt.process = v;
      else if (strcmp(k, "--log") == 0) opt.log = v;
      else if (strcmp(k, "--rootfs") == 0) opt.rootfs = v;
      else if (strcmp(k, "--mount-overlay") == 0) opt.mount_overlay = v;
      else if (strcmp(k, "--mount-cwd") == 0) opt.mount_cwd = v;
      else if (strcmp(k, "--log-max-size") == 0) opt.log_max = atoll(v);
      else if (strcmp(k, "--log-max-files") == 0) opt.log_files = atoi(v) > 0 ? atoi(v) : 1;
      else if (strcmp(k, "--sync-fd") == 0) opt.sync_fd = atoi(v);
      else usage("unknown option");
    }
  }
  if (!opt.runtime || !opt.root || !opt.id || !opt.state) usage("--runtime, --runtime-root, --id and --state-dir are required");
  if (opt.exec_mode ? !opt.process : !opt.bundle) usage(opt.exec_mode ? "--process is required" : "--bundle is required");
}

/* ---------- phases ---------- */

/* exec attaches before the process runs, so its first bytes reach someone. */
static void wait_first_client(void) {
  struct pollfd p = {.fd = listen_fd, .events = POLLIN};
  int r;
  do r = poll(&p, 1, FIRST_CLIENT_WAIT_MS);
  while (r < 0 && errno == EINTR);
  if (r <= 0) fail_ready("no attach client connected within %d s", FIRST_CLIENT_WAIT_MS / 1000);
  int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
  if (fd < 0) fail_ready("accept on attach socket: %s", strerror(errno));
  client_add(fd);
}

/*
 * run mode: the overlay is mounted here, by a system call, rather than by the
 * engine through mount(8): one process fewer on every start. Relative layer
 * paths (a long layer list shortened through links) start from --mount-cwd.
 */
static void mount_rootfs(void) {
  if (opt.mount_cwd && chdir(opt.mount_cwd) < 0) fail_ready("cannot enter %s: %s", opt.mount_cwd, strerror(errno));
  if (mount("overlay", opt.rootfs, "overlay", 0, opt.mount_overlay) < 0)
    fail_ready("cannot mount the root filesystem on %s: %s", opt.rootfs, strerror(errno));
  rootfs_mounted = 1;
  if (chdir("/") < 0) fail_ready("cannot enter /: %s", strerror(errno));
}

/*
 * run mode: the engine connects once the bundle is ready, and that is the
 * signal to run. Spawning us first lets the engine mount the root filesystem
 * and write the bundle meanwhile. An engine that dies before connecting
 * closes the sync pipe's other end: nothing has run, so we leave at once.
 */
static void wait_go(void) {
  send_line("{\"listening\":true}\n");
  struct pollfd p[2] = {{.fd = listen_fd, .events = POLLIN}, {.fd = opt.sync_fd, .events = 0}};
  for (;;) {
    int r = poll(p, opt.sync_fd >= 0 ? 2 : 1, FIRST_CLIENT_WAIT_MS);
    if (r < 0 && errno == EINTR) continue;
    if (r == 0) fail_ready("the engine did not connect within %d s", FIRST_CLIENT_WAIT_MS / 1000);
    if (r < 0) fail_ready("poll: %s", strerror(errno));
    if (p[1].revents & (POLLERR | POLLHUP)) {
      opt.sync_fd = -1;
      fail_ready("the engine went away before the container ran");
    }
    if (p[0].revents) break;
  }
  int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
  if (fd < 0) fail_ready("accept on attach socket: %s", strerror(errno));
  client_add(fd);
}

/* Reads what is there, up to the limit; returns 1 at end of file. */
static int capture_read(int fd, struct buf *capture) {
  unsigned char tmp[4096];
  while (capture->len < CAPTURE_LIMIT) {
    size_t room = CAPTURE_LIMIT - capture->len;
    ssize_t r = read(fd, tmp, room < sizeof tmp ? room : sizeof tmp);
    if (r < 0 && errno == EINTR) continue;
    if (r == 0) return 1;
    if (r < 0 || buf_add(capture, tmp, (size_t)r) < 0) return 0;
  }
  return 0;
}

/*
 * Until the runtime has exited and, with a tty, handed the pty master over
 * the console socket. Its stderr is read into `capture` meanwhile, so a
 * failure can be reported in the runtime's own words.
 */
static void wait_runtime(int capture_fd, int console_listen, struct buf *capture) {
  int console_conn = -1, capture_eof = 0;
  long long deadline = -1;
  while (!runtime_done || (opt.tty && master_fd < 0 && WIFEXITED(runtime_status) && WEXITSTATUS(runtime_status) == 0)) {
    struct pollfd p[3];
    int n = 0;
    p[n++] = (struct pollfd){.fd = sig_fd, .events = POLLIN};
    /* Past the limit, exec's process is left to block on stderr until we serve it. */
    int want = !capture_eof && capture->len < CAPTURE_LIMIT;
    p[n++] = (struct pollfd){.fd = want ? capture_fd : -1, .events = POLLIN};
    if (opt.tty && master_fd < 0)
      p[n++] = (struct pollfd){.fd = console_conn >= 0 ? console_conn : console_listen, .events = POLLIN};
    int timeout = -1;
    if (runtime_done) {
      /* The runtime said yes but its console fd has not arrived yet: wait, not forever. */
      if (deadline < 0) deadline = now_ms() + 2000;
      timeout = (int)(deadline - now_ms());
      if (timeout <= 0) fail_ready("the runtime succeeded but sent no console fd on %s", console_path);
    }
    int r = poll(p, (nfds_t)n, timeout);
    if (r < 0) {
      if (errno == EINTR) continue;
      fail_ready("poll: %s", strerror(errno));
    }
    if (p[0].revents) reap_all();
    if (p[1].revents) capture_eof = capture_read(capture_fd, capture);
    if (n > 2 && p[2].revents) {
      if (console_conn < 0) {
        console_conn = accept4(console_listen, NULL, NULL, SOCK_CLOEXEC);
      } else {
        master_fd = recv_fd(console_conn);
        if (master_fd < 0) fail_ready("no pty master received on the console socket");
        close(console_conn);
        console_conn = -1;
      }
    }
  }
  capture_read(capture_fd, capture);
  if (console_conn >= 0) close(console_conn);
}

static void read_output(int s) {
  static unsigned char tmp[32768];
  ssize_t r = read(out_fd[s], tmp, sizeof tmp);
  if (r > 0) {
    emit(s, tmp, (size_t)r);
    return;
  }
  if (r < 0 && (errno == EAGAIN || errno == EINTR)) return;
  /* EOF, or EIO from a pty master whose every slave is closed. */
  if (out_fd[s] == master_fd) {
    if (in_is_master) stdin_close_now();
    master_fd = -1;
  }
  close(out_fd[s]);
  out_fd[s] = -1;
}

/*
 * run mode, once the container has ended: we ran it, so we let go of it too
 * (the runtime's state and cgroups, and the root filesystem when --rootfs
 * names it), sparing the engine two processes of its own at every exit. The
 * runtime's delete runs while the exit is recorded and announced.
 */
static void release_start(void) {
  release_pid = fork();
  if (release_pid == 0) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execl(opt.runtime, opt.runtime, "--root", opt.root, "delete", "--force", opt.id, (char *)NULL);
    _exit(127);
  }
  if (release_pid < 0) release_done = 1;
  /* A failure (still busy) is left to the engine, which checks before it removes. */
  if (opt.rootfs) umount2(opt.rootfs, 0);
}

/* Attach clients learn of the exit before the session ends: the engine answers waiters at once. */
static void announce_exit(void) {
  for (int i = 0; i < nclients; i++) client_send(&clients[i], FRAME_EXITED, (const unsigned char *)"", 0);
}

static void release_wait(void) {
  long long deadline = now_ms() + RELEASE_WAIT_MS;
  for (;;) {
    reap_all();
    if (release_done) return;
    long long left = deadline - now_ms();
    if (left <= 0) return;
    struct pollfd p = {.fd = sig_fd, .events = POLLIN};
    poll(&p, 1, (int)left);
  }
}

/* The one loop: output to clients and log, client frames to stdin, reaping. */
static void serve(void) {
  struct pollfd p[5 + MAX_CLIENTS];
  long long drain_deadline = -1;
  for (;;) {
    clients_sweep();
    if (container_done && out_fd[1] < 0 && out_fd[2] < 0) break;
    if (container_done && drain_deadline < 0) drain_deadline = now_ms() + DRAIN_DEADLINE_MS;
    if (drain_deadline >= 0 && now_ms() >= drain_deadline) break;

    long long wake_ms = 0;
    int held = !container_done && clients_holding(&wake_ms);
    int n = 0;
    p[n++] = (struct pollfd){.fd = listen_fd, .events = POLLIN};
    p[n++] = (struct pollfd){.fd = sig_fd, .events = POLLIN};
    /* Held back: the container's writes wait in its pipe until the client catches up. */
    p[n++] = (struct pollfd){.fd = held ? -1 : out_fd[1], .events = POLLIN};
    p[n++] = (struct pollfd){.fd = held ? -1 : out_fd[2], .events = POLLIN};
    /* Its own slot even when it is the pty master, so output reads never wait on stdin writes. */
    p[n++] = (struct pollfd){.fd = in_pending.len ? in_fd : -1, .events = POLLOUT};
    int first_client = n;
    for (int i = 0; i < nclients; i++) {
      short ev = 0;
      if (in_pending.len == 0) ev |= POLLIN; /* backpressure: stdin the container is not reading */
      if (clients[i].out.len) ev |= POLLOUT;
      p[n++] = (struct pollfd){.fd = clients[i].fd, .events = ev};
    }
    int timeout = container_done ? DRAIN_QUIET_MS : -1;
    if (held) {
      long long left = wake_ms - now_ms();
      timeout = left > 0 ? (int)left : 0;
    }
    int r = poll(p, (nfds_t)n, timeout);
    if (r < 0) {
      if (errno == EINTR) continue;
      fail_after_ready("poll");
    }
    if (r == 0 && container_done) break; /* drained: nothing more arrived */

    if (p[1].revents) reap_all();
    for (int s = 1; s <= 2; s++)
      if (p[s + 1].revents && out_fd[s] >= 0) read_output(s);
    if (p[4].revents) {
      if (p[4].revents & (POLLERR | POLLHUP) && !in_is_master) stdin_close_now();
      else stdin_flush();
    }
    for (int i = 0; i < nclients && first_client + i < n; i++) {
      struct client *c = &clients[i];
      short re = p[first_client + i].revents;
      if (c->dead || !re) continue;
      if (re & POLLOUT) client_flush(c);
      if (!c->dead && re & (POLLIN | POLLHUP | POLLERR)) client_read(c);
    }
    if (p[0].revents) {
      int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
      if (fd >= 0) client_add(fd);
    }
  }
}

/*
 * The end of every session: hand over what is queued, half-close, then read
 * and discard what the client still sends until it closes its side too. A
 * socket closed with unread bytes resets its peer, and a peer writing to a
 * closed one gets EPIPE; Node then destroys its socket and drops the output
 * it has received but not yet emitted, which lost a fast exec's only line
 * whenever the engine wrote (stray stdin) just after the process ended.
 * Everything is bounded, so a client that never closes cannot hold us here.
 */
static void clients_finish(void) {
  long long started = now_ms();
  long long deadline = started + CLIENT_FINISH_MS;
  int shut[MAX_CLIENTS] = {0};
  struct pollfd p[MAX_CLIENTS];
  for (;;) {
    int live = 0;
    /* A client still taking its last output is given the time it needs, up to CLIENT_FINISH_MAX_MS. */
    for (int i = 0; i < nclients; i++) {
      struct client *c = &clients[i];
      if (c->dead || shut[i] || c->out.len == 0) continue;
      long long until = c->progress_ms + CLIENT_STALL_MS;
      if (until > deadline) deadline = until < started + CLIENT_FINISH_MAX_MS ? until : started + CLIENT_FINISH_MAX_MS;
    }
    for (int i = 0; i < nclients; i++) {
      struct client *c = &clients[i];
      p[i] = (struct pollfd){.fd = -1};
      if (c->dead) continue;
      if (!shut[i] && c->out.len == 0) {
        shut[i] = 1;
        if (shutdown(c->fd, SHUT_WR) < 0) {
          client_drop(c);
          continue;
        }
      }
      p[i] = (struct pollfd){.fd = c->fd, .events = shut[i] ? POLLIN : POLLOUT};
      live++;
    }
    long long left = deadline - now_ms();
    if (live == 0 || left <= 0) break;
    int r = poll(p, (nfds_t)nclients, (int)left);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    for (int i = 0; i < nclients; i++) {
      struct client *c = &clients[i];
      if (c->dead || !p[i].revents) continue;
      if (!shut[i]) {
        client_flush(c);
        continue;
      }
      unsigned char sink[4096];
      ssize_t n = read(c->fd, sink, sizeof sink);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) client_drop(c);
    }
  }
  for (int i = 0; i < nclients; i++) client_drop(&clients[i]);
  nclients = 0;
}

int main(int argc, char **argv) {
  /* Make sure 0-2 are taken, so no pipe of ours lands there by accident. */
  for (int fd = open("/dev/null", O_RDWR); fd >= 0 && fd <= 2; fd = open("/dev/null", O_RDWR)) {
  }
  parse_args(argc, argv);
  if (opt.sync_fd >= 0) fcntl(opt.sync_fd, F_SETFD, FD_CLOEXEC);

  snprintf(pid_path, sizeof pid_path, "%s/pid", opt.state);
  snprintf(attach_path, sizeof attach_path, "%s/attach.sock", opt.state);
  snprintf(exit_path, sizeof exit_path, "%s/exit.json", opt.state);
  snprintf(exit_tmp, sizeof exit_tmp, "%s/exit.json.tmp", opt.state);
  if (opt.tty) snprintf(console_path, sizeof console_path, "%s/console.sock", opt.state);

  setsid(); /* fails harmlessly when the parent already made us a session leader */
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) fail_ready("cannot become a child subreaper: %s", strerror(errno));
  signal(SIGPIPE, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, NULL);
  sig_fd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sig_fd < 0) fail_ready("signalfd: %s", strerror(errno));

  char pidline[32];
  int pl = snprintf(pidline, sizeof pidline, "%d\n", (int)getpid());
  char pid_tmp[4200], monitor_pid[4200];
  snprintf(monitor_pid, sizeof monitor_pid, "%s/monitor.pid", opt.state);
  snprintf(pid_tmp, sizeof pid_tmp, "%s/monitor.pid.tmp", opt.state);
  if (write_file_atomic(monitor_pid, pid_tmp, pidline, (size_t)pl) < 0)
    fail_ready("cannot write %s: %s", monitor_pid, strerror(errno));
  unlink(exit_path); /* a stale record from an earlier run would lie */

  listen_fd = listen_unix(attach_path, 16);
  if (listen_fd < 0) fail_ready("cannot listen on %s: %s", attach_path, strerror(errno));
  set_nonblock(listen_fd);

  if (opt.log && !opt.exec_mode) {
    log_fd = open(opt.log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (log_fd < 0) fail_ready("cannot open log file %s: %s", opt.log, strerror(errno));
    struct stat st;
    if (fstat(log_fd, &st) == 0) log_size = st.st_size;
  }

  /* The runtime's stderr always comes to us; without a tty it is also the container's. */
  int errp[2], outp[2] = {-1, -1}, inp[2] = {-1, -1};
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (devnull < 0 || pipe2(errp, O_CLOEXEC) < 0) fail_ready("pipe: %s", strerror(errno));
  int child_in = devnull, child_out = devnull;
  if (!opt.tty) {
    if (pipe2(outp, O_CLOEXEC) < 0) fail_ready("pipe: %s", strerror(errno));
    child_out = outp[1];
    if (opt.with_stdin) {
      if (pipe2(inp, O_CLOEXEC) < 0) fail_ready("pipe: %s", strerror(errno));
      child_in = inp[0];
    }
  }
  int console_listen = -1;
  if (opt.tty) {
    console_listen = listen_unix(console_path, 1);
    if (console_listen < 0) fail_ready("cannot listen on %s: %s", console_path, strerror(errno));
  }

  if (opt.exec_mode && !opt.detach) wait_first_client();
  if (opt.run_mode && opt.rootfs && opt.mount_overlay) mount_rootfs();
  if (opt.run_mode) wait_go();

  runtime_pid = run_runtime(child_in, child_out, errp[1]);
  if (runtime_pid < 0) fail_ready("fork: %s", strerror(errno));
  close(errp[1]);
  if (outp[1] >= 0) close(outp[1]);
  if (inp[0] >= 0) close(inp[0]);
  set_nonblock(errp[0]);

  struct buf capture = {0};
  wait_runtime(errp[0], console_listen, &capture);
  if (console_listen >= 0) {
    close(console_listen);
    unlink(console_path);
  }
  if (!WIFEXITED(runtime_status) || WEXITSTATUS(runtime_status) != 0) {
    buf_add(&capture, "", 1);
    if (capture.len > 1) fail_ready("%s", (const char *)capture.p);
    fail_ready("%s exited with status %d and said nothing", opt.runtime,
               WIFEXITED(runtime_status) ? WEXITSTATUS(runtime_status) : 128 + WTERMSIG(runtime_status));
  }
  container_pid = read_pid_file();
  if (container_pid <= 0) fail_ready("the runtime wrote no pid to %s", pid_path);
  for (int i = 0; i < nearly; i++)
    if (early[i].pid == container_pid) {
      container_done = 1;
      container_status = early[i].status;
      finished_at = early[i].at;
    }

  if (opt.tty) {
    close(errp[0]);
    set_nonblock(master_fd);
    out_fd[1] = master_fd;
    if (opt.with_stdin) {
      in_fd = master_fd;
      in_is_master = 1;
    }
  } else {
    out_fd[1] = outp[0];
    out_fd[2] = errp[0];
    set_nonblock(outp[0]);
    if (inp[1] >= 0) {
      in_fd = inp[1];
      set_nonblock(in_fd);
    }
  }
  close(devnull);

  char ready[64];
  snprintf(ready, sizeof ready, "{\"pid\":%d}\n", (int)container_pid);
  if (send_sync(ready) < 0 && opt.run_mode) undo_run();
  /*
   * exec's and run's runtime share a stderr pipe with the process, which may
   * write before the runtime has exited: what came then was the process's.
   */
  if ((opt.exec_mode || opt.run_mode) && capture.len) emit(STREAM_STDERR, capture.p, capture.len);
  buf_free(&capture);

  serve();

  if (opt.run_mode) release_start();
  log_flush_partial();
  write_exit(NULL);
  if (opt.run_mode) {
    announce_exit();
    release_wait();
  }
  clients_finish();
  close(listen_fd);
  unlink(attach_path);
  return 0;
}

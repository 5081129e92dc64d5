/*
 * Butter mock cloud: the plugin launcher (see src/mock/launch/launcher.ts). Compiled into the
 * Terraform mirror by prepareMirror when a C compiler is there; the mirror's runner starts it
 * instead of the Node plugin.
 *
 *   butter-launch <daemon socket> <provider> <command...>
 *
 * Terraform starts a plugin for every phase (validate, plan, apply, refresh...). Loading the mock
 * provider in Node each time is most of a mock deploy's time, so this program asks a long-lived
 * launch daemon (one per user and mirror) for a fresh gRPC listener that trusts this Terraform's
 * client certificate (PLUGIN_CLIENT_CERT), prints the daemon's go-plugin handshake line, and
 * stays alive as "the plugin" until the daemon says the provider shut down (Terraform called
 * GRPCController.Shutdown), or until Terraform kills it or dies (the daemon then closes that
 * listener, as the connection to it closes with this process).
 *
 * No daemon listening: start one (`<command...> launch-daemon <socket>`, its own session, stdio
 * on /dev/null and <socket>.log) and wait for it. The daemon cannot be reached or used (folder
 * not this user's and private, a daemon that does not start): run `<command...> plugin
 * <provider>` in this process's place, today's Node plugin.
 *
 * Request to the daemon: "butter-launch 1", then key, value pairs, all NUL-terminated, then one
 * more NUL. Answer: one line, the handshake or "error <message>".
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_REQUEST 65536
#define MAX_ANSWER 65536

static char request[MAX_REQUEST];
static size_t request_len;

static int add(const char *s) {
  size_t n = strlen(s) + 1;
  if (request_len + n + 1 > sizeof request) return -1;
  memcpy(request + request_len, s, n);
  request_len += n;
  return 0;
}

/* A key and value from the environment; left out when unset or empty. */
static int add_env(const char *key, const char *var) {
  const char *v = getenv(var);
  if (!v || !*v) return 0;
  return add(key) || add(v);
}

static long long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The socket's folder and the socket itself belong to this user, and nobody else may enter. */
static int private_socket(const char *socket_path, int socket_must_exist) {
  char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
  const char *slash = strrchr(socket_path, '/');
  struct stat st;
  if (!slash || (size_t)(slash - socket_path) >= sizeof dir || slash == socket_path) return 0;
  memcpy(dir, socket_path, slash - socket_path);
  dir[slash - socket_path] = 0;
  if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077) != 0) return 0;
  if (lstat(socket_path, &st) != 0) return !socket_must_exist;
  return S_ISSOCK(st.st_mode) && st.st_uid == geteuid();
}

/* Create the socket's folder, private, when it is missing (a temp cleaner may have removed it). */
static void make_folder(const char *socket_path) {
  char dir[4096];
  const char *slash = strrchr(socket_path, '/');
  if (!slash || (size_t)(slash - socket_path) >= sizeof dir || slash == socket_path) return;
  memcpy(dir, socket_path, slash - socket_path);
  dir[slash - socket_path] = 0;
  mkdir(dir, 0700);
}

static int connect_daemon(const char *socket_path) {
  struct sockaddr_un addr;
  int fd;
  if (strlen(socket_path) >= sizeof addr.sun_path || !private_socket(socket_path, 1)) return -1;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  strcpy(addr.sun_path, socket_path);
  fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  fcntl(fd, F_SETFD, FD_CLOEXEC);
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

/* argv of `<command...> <mode> <arg>`. */
static char **command_line(char **command, int count, const char *mode, const char *arg) {
  char **out = calloc(count + 3, sizeof *out);
  if (!out) return 0;
  memcpy(out, command, count * sizeof *out);
  out[count] = (char *)mode;
  out[count + 1] = (char *)arg;
  return out;
}

/* Start the daemon in a session of its own, detached from Terraform's pipes. */
static pid_t spawn_daemon(const char *socket_path, char **command, int count) {
  char log_path[4096];
  pid_t pid;
  snprintf(log_path, sizeof log_path, "%s.log", socket_path);
  pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_RDWR);
    int log = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);
    char **args = command_line(command, count, "launch-daemon", socket_path);
    setsid();
    signal(SIGINT, SIG_DFL);
    dup2(null, 0);
    dup2(null, 1);
    dup2(log >= 0 ? log : null, 2);
    if (args) execvp(args[0], args);
    _exit(127);
  }
  return pid;
}

/* Become today's Node plugin. */
static void fall_back(char **command, int count, const char *provider, const char *why) {
  char **args = command_line(command, count, "plugin", provider);
  if (why) fprintf(stderr, "[WARN] butter-launch: %s; starting the plugin directly\n", why);
  if (args) execvp(args[0], args);
  fprintf(stderr, "butter-launch: cannot run %s: %s\n", command[0], strerror(errno));
  exit(1);
}

int main(int argc, char **argv) {
  const char *socket_path, *provider;
  char **command;
  int count, fd;
  char cwd[4096];
  static char answer[MAX_ANSWER];
  size_t answer_len = 0;
  pid_t parent = getppid();
  long long deadline;

  if (argc < 4) {
    fprintf(stderr, "usage: butter-launch <daemon socket> <provider> <command...>\n");
    return 2;
  }
  socket_path = argv[1];
  provider = argv[2];
  command = argv + 3;
  count = argc - 3;
  /* Ctrl-C reaches Terraform's whole process group; Terraform stops providers itself. */
  signal(SIGINT, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);

  fd = connect_daemon(socket_path);
  if (fd < 0) {
    pid_t daemon;
    make_folder(socket_path);
    if (!private_socket(socket_path, 0)) fall_back(command, count, provider, "the launch daemon's folder is not private to this user");
    daemon = spawn_daemon(socket_path, command, count);
    if (daemon < 0) fall_back(command, count, provider, "cannot start the launch daemon");
    /* Loading the provider takes a second or more on a busy machine. */
    deadline = now_ms() + 60000;
    while ((fd = connect_daemon(socket_path)) < 0) {
      int status;
      if (now_ms() > deadline) fall_back(command, count, provider, "the launch daemon did not start within 60s");
      if (waitpid(daemon, &status, WNOHANG) == daemon) {
        /* It exits at once when another daemon got there first: that one answers soon. */
        int i;
        for (i = 0; i < 100 && (fd = connect_daemon(socket_path)) < 0; i++) usleep(20000);
        if (fd >= 0) break;
        fall_back(command, count, provider, "the launch daemon exited (see its .log next to its socket)");
      }
      usleep(10000);
    }
  }

  if (!getcwd(cwd, sizeof cwd)) cwd[0] = 0;
  if (add("butter-launch 1") || add("provider") || add(provider) || (cwd[0] && (add("cwd") || add(cwd)))
      || add_env("magic_cookie", "TF_PLUGIN_MAGIC_COOKIE") || add_env("protocol_versions", "PLUGIN_PROTOCOL_VERSIONS")
      || add_env("client_cert", "PLUGIN_CLIENT_CERT") || add_env("socket_dir", "PLUGIN_UNIX_SOCKET_DIR")
      || add_env("state_dir", "BUTTER_MOCK_STATE_DIR")) {
    fall_back(command, count, provider, "the request is too large");
  }
  request[request_len++] = 0;
  {
    size_t sent = 0;
    while (sent < request_len) {
      ssize_t n = write(fd, request + sent, request_len - sent);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) fall_back(command, count, provider, "the launch daemon closed the connection");
      sent += n;
    }
  }

  /* The answer: one line. */
  deadline = now_ms() + 60000;
  for (;;) {
    struct pollfd p = { fd, POLLIN, 0 };
    char *end;
    ssize_t n;
    int r = poll(&p, 1, 1000);
    if (r < 0 && errno == EINTR) continue;
    if (r == 0) {
      if (now_ms() > deadline) fall_back(command, count, provider, "the launch daemon did not answer within 60s");
      continue;
    }
    n = read(fd, answer + answer_len, sizeof answer - 1 - answer_len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fall_back(command, count, provider, "the launch daemon closed the connection");
    answer_len += n;
    answer[answer_len] = 0;
    end = strchr(answer, '\n');
    if (end) {
      *end = 0;
      break;
    }
    if (answer_len == sizeof answer - 1) fall_back(command, count, provider, "the launch daemon's answer is too long");
  }
  if (strncmp(answer, "error ", 6) == 0) {
    fprintf(stderr, "%s\n", answer + 6);
    return 1;
  }
  if (strncmp(answer, "1|", 2) != 0) fall_back(command, count, provider, "the launch daemon's answer is not a handshake");
  printf("%s\n", answer);
  fflush(stdout);

  /* Be the plugin until the daemon ends the connection, or Terraform goes away without a word. */
  for (;;) {
    struct pollfd p = { fd, POLLIN, 0 };
    char buf[4096];
    int r = poll(&p, 1, 250);
    if (r < 0 && errno != EINTR) return 0;
    if (r > 0) {
      ssize_t n = read(fd, buf, sizeof buf);
      if (n == 0 || (n < 0 && errno != EINTR)) return 0;
      /* The daemon sends nothing more today; should it, stderr is where Terraform reads plugin logs. */
      if (n > 0 && write(2, buf, n) < 0) {
      }
    }
    if (getppid() != parent) return 0;
  }
}

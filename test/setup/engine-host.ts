// Which engine the real-engine tests of the client half talk to. gantry's
// default is its embedded engine; this suite runs against Debian's dockerd
// unless GANTRY_TEST_DOCKER_HOST points it at another socket (the embedded
// engine's acceptance run does that).

process.env.DOCKER_HOST = process.env.GANTRY_TEST_DOCKER_HOST || process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';

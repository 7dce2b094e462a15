// SPDX-License-Identifier: GPL-2.0
/*
 * Small utilities shared by the readers, the mutators and main() of
 * ptw_stress: time and sleeping, a xorshift random number generator,
 * reading numbers and strings from sysfs, and the whole-file read of a
 * /proc file in chunks of a given size into a growable buffer.
 */
#define _GNU_SOURCE
#include "ptw_stress.h"

double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void msleep(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

uint64_t rnd64(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

uint64_t rnd(uint64_t *s, uint64_t n)
{
	return n ? rnd64(s) % n : 0;
}

uint64_t seed_of(unsigned int salt)
{
	return (uint64_t)now() * 1000003ULL ^ ((uint64_t)getpid() << 20) ^
	       (salt * 0x9e3779b97f4a7c15ULL) ^ 0x5deece66dULL;
}

long sysfs_long(const char *path)
{
	char b[64];
	long v = -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, b, sizeof(b) - 1);
	if (n > 0) {
		b[n] = 0;
		v = strtol(b, NULL, 0);
	}
	close(fd);
	return v;
}

bool sysfs_str(const char *path, char *b, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, b, len - 1);
	close(fd);
	if (n < 0)
		return false;
	b[n] = 0;
	return true;
}

static void buf_reserve(struct buf *b, size_t need)
{
	size_t n = b->cap ? b->cap : 65536;
	char *q;

	if (need <= b->cap)
		return;
	while (n < need)
		n *= 2;
	q = realloc(b->p, n);
	if (!q) {
		fprintf(stderr, "STRESS: out of memory\n");
		abort();
	}
	b->p = q;
	b->cap = n;
}

/* Read all of PATH into B, CHUNK bytes per read(): 0, or -errno */
int slurp(const char *path, struct buf *b, size_t chunk)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	b->len = 0;
	if (fd < 0)
		return -errno;
	for (;;) {
		buf_reserve(b, b->len + chunk + 1);
		n = read(fd, b->p + b->len, chunk);
		if (n < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			close(fd);
			return -e;
		}
		if (!n)
			break;
		b->len += n;
	}
	b->p[b->len] = 0;
	close(fd);
	return 0;
}

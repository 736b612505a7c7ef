/* SPDX-License-Identifier: MIT */
/* cli progress: status lines on stderr while a batch verifies or a download runs, on a tty only. */
#include "cli.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int cli_progress_wanted(void)
{
	return cli_verbosity >= 0 && isatty(STDERR_FILENO);
}

void cli_batch_progress(size_t done, size_t total, void *data)
{
	(void)data;
	fprintf(stderr, "\r%s: verified %zu/%zu", cli_progname, done, total);
	if (done == total)
		fputc('\n', stderr);
}

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* n bytes as "512 B", "7.1 KiB", "3.4 MiB", "1.2 GiB" */
static const char *human(char *buf, size_t len, double n)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	size_t u = 0;

	while (n >= 1024 && u + 1 < sizeof(unit) / sizeof(*unit)) {
		n /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%.0f B", n);
	else
		snprintf(buf, len, "%.1f %s", n, unit[u]);
	return buf;
}

/* The file being downloaded: when it started, when its line was last drawn. */
static struct {
	char file[256];
	double start, drawn;
} dl;

void cli_fetch_progress(const char *file, uint64_t have, uint64_t total, int end, void *data)
{
	char h[32], t[32], r[32];
	double now = seconds(), took, rate;

	(void)data;
	if (strncmp(dl.file, file, sizeof(dl.file) - 1)) {
		snprintf(dl.file, sizeof(dl.file), "%s", file);
		dl.start = now;
		dl.drawn = 0;
	}
	if (!end && now - dl.drawn < 0.1)
		return; /* at most ten redraws a second */
	dl.drawn = now;
	took = now - dl.start;
	rate = took > 0 ? (double)have / took : 0;
	human(h, sizeof(h), (double)have);
	human(r, sizeof(r), rate);
	if (end > 0)
		fprintf(stderr, "\r%s: %s  %s  %s/s  %.1f s\033[K\n", cli_progname, file, h, r, took);
	else if (end < 0)
		fprintf(stderr, "\r%s: %s  %s  failed\033[K\n", cli_progname, file, h);
	else if (took < 0.01 || rate <= 0) /* too early for a rate */
		fprintf(stderr, "\r%s: %s  %s\033[K", cli_progname, file, h);
	else if (total && have <= total)
		fprintf(stderr, "\r%s: %s  %s / %s  %s/s  ETA %.0f s\033[K", cli_progname, file, h,
			human(t, sizeof(t), (double)total), r, (double)(total - have) / rate);
	else
		fprintf(stderr, "\r%s: %s  %s  %s/s\033[K", cli_progname, file, h, r);
	if (end)
		dl.file[0] = '\0'; /* the next attempt at the same file starts its own line */
	fflush(stderr);
}

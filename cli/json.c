/* SPDX-License-Identifier: MIT */
/* json: every `format_version: 1` document is made and written here (jansson). */
#include "cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Keys in the order they were set: stable, deterministic for the same input. */
#define DOC_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER)

json_t *cli_json_doc(int tool)
{
	json_t *doc = json_object();

	json_object_set_new(doc, "format_version", json_integer(1));
	if (tool)
		json_object_set_new(doc, "tool", json_pack("{s:s,s:s}", "name", "rpmvet",
							   "version", RV_VERSION));
	return doc;
}

int cli_json_wrap(json_t *doc, const char *data)
{
	json_t *d = json_loads(data, 0, NULL);
	const char *k;
	json_t *v;

	if (!json_is_object(d)) {
		json_decref(d);
		return -1;
	}
	json_object_foreach(d, k, v)
		json_object_set(doc, k, v);
	json_decref(d);
	return 0;
}

int cli_json_write(json_t *doc)
{
	int rc = json_dumpf(doc, stdout, DOC_FLAGS);

	json_decref(doc);
	if (rc || fputc('\n', stdout) == EOF || ferror(stdout))
		return cli_output_error();
	return 0;
}

int cli_json_stream_open(json_t *doc, const char *key)
{
	char *head = json_dumps(doc, DOC_FLAGS);
	size_t n = head ? strlen(head) : 0;

	json_decref(doc);
	if (n < 2) {
		free(head);
		return cli_output_error();
	}
	/* the document without its closing "}", the array as its last member */
	while (n > 1 && (head[n - 1] == '}' || head[n - 1] == '\n'))
		n--;
	printf("%.*s%s\n  \"%s\": [", (int)n, head, n > 1 ? "," : "", key);
	free(head);
	return ferror(stdout) ? cli_output_error() : 0;
}

int cli_json_stream_row(json_t *row, size_t i)
{
	char *s = json_dumps(row, JSON_COMPACT | JSON_PRESERVE_ORDER);

	json_decref(row);
	if (s)
		printf("%s\n    %s", i ? "," : "", s);
	free(s);
	return !s || ferror(stdout);
}

int cli_json_stream_close(size_t n)
{
	printf("%s]\n}\n", n ? "\n  " : "");
	return ferror(stdout) ? cli_output_error() : 0;
}

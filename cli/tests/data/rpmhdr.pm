# SPDX-License-Identifier: MIT
# rpmhdr.pm: read a whole RPM and find its two headers (test-only helpers
# for the scripts that forge packages: rpm-rename.pl, rpm-bloat.pl).
package rpmhdr;
use strict;
use warnings;

# read_rpm(PATH): (data, signature header offset and length, main header offset and length)
sub read_rpm {
	my ($path) = @_;
	open(my $fh, '<:raw', $path) or die "$path: $!\n";
	my $d = do { local $/; <$fh> };
	close($fh);
	my $len = sub { my ($n, $s) = unpack('NN', substr($d, $_[0] + 8, 8)); 16 + 16 * $n + $s };
	my $sig = 96;
	my $siglen = $len->($sig);
	my $hdr = $sig + $siglen + ((8 - $siglen % 8) % 8);
	return ($d, $sig, $siglen, $hdr, $len->($hdr));
}

1;

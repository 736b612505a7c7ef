#!/usr/bin/perl
# SPDX-License-Identifier: MIT
# rpm-bloat.pl IN OUT sig|main BYTES [claim]: make the signature or the main
# header of IN claim BYTES (a multiple of 8) more data.  The bytes are written
# (zeros, sparse where the file system allows) unless "claim" is given, in
# which case only the header's intro says so.  Test-only: hostile headers.
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use rpmhdr;

my ($in, $out, $which, $bytes, $claim) = @ARGV;
die "usage: $0 IN OUT sig|main BYTES [claim]\n"
	unless defined $bytes && $which =~ /^(sig|main)$/ && $bytes % 8 == 0;
my ($d, $sig, $siglen, $hdr, $hlen) = rpmhdr::read_rpm($in);
my $at = $which eq 'sig' ? $sig : $hdr;
my $end = $at + ($which eq 'sig' ? $siglen : $hlen);
my ($n, $s) = unpack('NN', substr($d, $at + 8, 8));
substr($d, $at + 8, 8) = pack('NN', $n, $s + $bytes);
open(my $fh, '>:raw', $out) or die "$out: $!\n";
print $fh substr($d, 0, $end);
if (!defined $claim) {
	# a hole of BYTES zeros, then the rest of the package
	seek($fh, $bytes, 1) or die "$out: $!\n";
}
print $fh substr($d, $end);
close($fh) or die "$out: $!\n";

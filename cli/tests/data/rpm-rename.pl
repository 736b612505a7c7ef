#!/usr/bin/perl
# SPDX-License-Identifier: MIT
# rpm-rename.pl IN OUT OLD NEW: replace every OLD in the main header of the
# unsigned package IN by NEW (same length) and fix the header digests of the
# signature header (SHA1, SHA256, MD5), so that rpmsign signs the result.
# Test-only: makes packages with names rpmbuild refuses (e.g. '../x').
use strict;
use warnings;
use Digest::SHA qw(sha1_hex sha256_hex);
use Digest::MD5 qw(md5);
use FindBin;
use lib $FindBin::Bin;
use rpmhdr;

my ($in, $out, $old, $new) = @ARGV;
die "usage: $0 IN OUT OLD NEW\n" unless defined $new && length($old) == length($new);
my ($d, $sig, $siglen, $hdr, $hlen) = rpmhdr::read_rpm($in);
my $h = substr($d, $hdr, $hlen);
my $rest = substr($d, $hdr + $hlen);
my @olddig = (sha1_hex($h), sha256_hex($h), md5($h . $rest));
(my $nh = $h) =~ s/\Q$old\E/$new/g;
die "'$old' not found in the header\n" if $nh eq $h;
my @newdig = (sha1_hex($nh), sha256_hex($nh), md5($nh . $rest));
my $s = substr($d, $sig, $siglen);
for my $i (0 .. 2) {
	my $k = index($s, $olddig[$i]);
	die "digest $i not found in the signature header\n" if $k < 0;
	substr($s, $k, length($olddig[$i])) = $newdig[$i];
}
substr($d, $sig, $siglen) = $s;
substr($d, $hdr, $hlen) = $nh;
open(my $fh, '>:raw', $out) or die "$out: $!\n";
print $fh $d;
close($fh) or die "$out: $!\n";

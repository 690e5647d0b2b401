/* loader.c: ELF (libelf) and raw image loading with bounds checks. */
#include "core/loader.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool fits(uint64_t addr, uint64_t len, uint64_t base, uint64_t size)
{
	return addr >= base && len <= size && addr - base <= size - len;
}

static int read_exact(int fd, uint8_t *dst, uint64_t len, uint64_t off)
{
	while (len) {
		ssize_t n = pread(fd, dst, len, (off_t)off);
		if (n <= 0)
			return -1;
		dst += n;
		len -= (uint64_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

static void find_htif_symbols(Elf *e, struct loaded_image *out)
{
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB ||
		    !sh.sh_entsize)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		size_t n = sh.sh_size / sh.sh_entsize;
		for (size_t i = 0; d && i < n; i++) {
			GElf_Sym s;
			if (!gelf_getsym(d, (int)i, &s))
				continue;
			const char *name = elf_strptr(e, sh.sh_link, s.st_name);
			if (!name)
				continue;
			if (!strcmp(name, "tohost"))
				out->tohost = s.st_value;
			else if (!strcmp(name, "fromhost"))
				out->fromhost = s.st_value;
		}
	}
}

static int load_elf(Elf *e, int fd, const char *path, uint8_t *mem,
		    uint64_t base, uint64_t size, struct loaded_image *out,
		    char *err, size_t errlen)
{
	GElf_Ehdr eh;
	if (!gelf_getehdr(e, &eh)) {
		snprintf(err, errlen, "%s: malformed ELF header", path);
		return -1;
	}
	if (gelf_getclass(e) != ELFCLASS64) {
		snprintf(err, errlen, "%s: 32-bit ELF; rrv emulates RV64", path);
		return -1;
	}
	if (eh.e_machine != EM_RISCV) {
		snprintf(err, errlen, "%s: ELF for machine %u, not RISC-V", path,
			 eh.e_machine);
		return -1;
	}
	size_t nph;
	if (elf_getphdrnum(e, &nph) != 0 || nph == 0) {
		snprintf(err, errlen, "%s: ELF has no program headers", path);
		return -1;
	}
	out->low = UINT64_MAX;
	out->high = 0;
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(e, (int)i, &ph)) {
			snprintf(err, errlen, "%s: bad program header %zu", path, i);
			return -1;
		}
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (ph.p_filesz > ph.p_memsz ||
		    !fits(ph.p_paddr, ph.p_memsz, base, size)) {
			snprintf(err, errlen,
				 "%s: segment at 0x%llx (+0x%llx) does not fit in RAM "
				 "0x%llx-0x%llx", path,
				 (unsigned long long)ph.p_paddr,
				 (unsigned long long)ph.p_memsz,
				 (unsigned long long)base,
				 (unsigned long long)(base + size));
			return -1;
		}
		uint8_t *dst = mem + (ph.p_paddr - base);
		if (read_exact(fd, dst, ph.p_filesz, ph.p_offset) < 0) {
			snprintf(err, errlen, "%s: truncated segment at file offset 0x%llx",
				 path, (unsigned long long)ph.p_offset);
			return -1;
		}
		memset(dst + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
		if (ph.p_paddr < out->low)
			out->low = ph.p_paddr;
		if (ph.p_paddr + ph.p_memsz > out->high)
			out->high = ph.p_paddr + ph.p_memsz;
	}
	if (out->high == 0) {
		snprintf(err, errlen, "%s: ELF has no loadable segment", path);
		return -1;
	}
	out->entry = eh.e_entry;
	out->is_elf = true;
	find_htif_symbols(e, out);
	return 0;
}

static int load(const char *path, uint8_t *mem, uint64_t mem_base,
		uint64_t mem_size, uint64_t raw_addr, bool try_elf,
		struct loaded_image *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	int ret = -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		goto out_close;
	}
	if (st.st_size == 0) {
		snprintf(err, errlen, "%s: empty file", path);
		goto out_close;
	}
	elf_version(EV_CURRENT);
	Elf *e = try_elf ? elf_begin(fd, ELF_C_READ, NULL) : NULL;
	if (e && elf_kind(e) == ELF_K_ELF) {
		ret = load_elf(e, fd, path, mem, mem_base, mem_size, out, err,
			       errlen);
		elf_end(e);
		goto out_close;
	}
	if (e)
		elf_end(e);
	if (!fits(raw_addr, (uint64_t)st.st_size, mem_base, mem_size)) {
		snprintf(err, errlen,
			 "%s: %lld bytes at 0x%llx do not fit in RAM 0x%llx-0x%llx",
			 path, (long long)st.st_size, (unsigned long long)raw_addr,
			 (unsigned long long)mem_base,
			 (unsigned long long)(mem_base + mem_size));
		goto out_close;
	}
	if (read_exact(fd, mem + (raw_addr - mem_base), (uint64_t)st.st_size, 0) < 0) {
		snprintf(err, errlen, "%s: read error", path);
		goto out_close;
	}
	out->entry = raw_addr;
	out->low = raw_addr;
	out->high = raw_addr + (uint64_t)st.st_size;
	ret = 0;
out_close:
	close(fd);
	return ret;
}

int loader_load(const char *path, uint8_t *mem, uint64_t mem_base,
		uint64_t mem_size, uint64_t raw_addr, struct loaded_image *out,
		char *err, size_t errlen)
{
	return load(path, mem, mem_base, mem_size, raw_addr, true, out, err,
		    errlen);
}

int loader_load_raw(const char *path, uint8_t *mem, uint64_t mem_base,
		    uint64_t mem_size, uint64_t raw_addr, struct loaded_image *out,
		    char *err, size_t errlen)
{
	return load(path, mem, mem_base, mem_size, raw_addr, false, out, err,
		    errlen);
}

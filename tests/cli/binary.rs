//! The relcut binary itself: position-independent, and loadable by the glibc of the systems it
//! is released for.

/// The built binary's bytes.
fn binary() -> Vec<u8> {
    std::fs::read(env!("CARGO_BIN_EXE_relcut")).unwrap()
}

#[test]
#[cfg(target_os = "linux")]
fn the_binary_is_position_independent() {
    let elf = binary();
    assert_eq!(&elf[..4], b"\x7fELF");
    // e_type: ET_DYN (3) is a position-independent executable, ET_EXEC (2) is not.
    let e_type = u16::from_le_bytes([elf[16], elf[17]]);
    assert_eq!(e_type, 3, "the binary is not position-independent");
}

#[test]
#[cfg(target_os = "linux")]
fn the_binary_has_no_packed_relocations_which_glibc_before_2_36_refuses() {
    // Packed relocations make glibc before 2.36 refuse to load the binary.
    let elf = binary();
    let needs = |name: &[u8]| elf.windows(name.len()).any(|window| window == name);
    assert!(!needs(b"GLIBC_ABI_DT_RELR"));
}

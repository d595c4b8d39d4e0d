// ANCHOR: all
use sockbook::loopback;

fn main() {
    let listener = loopback::listener().unwrap();
    assert_ne!(listener.local_addr().unwrap().port(), 0);
}
// ANCHOR_END: all

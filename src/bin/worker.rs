fn main() {
    parallel_playground::runtime::worker_entry::start();
}

#include "app/app.hpp"

int main(int argc, char** argv) { return xiaoan::app::RunCli(argc, argv); }

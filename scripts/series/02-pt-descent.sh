# shellcheck shell=bash
FILES=(include/linux/pt_descent.h)

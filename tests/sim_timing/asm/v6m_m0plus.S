@ Timing microbenchmarks for the Cortex-M0+ (ARMv6-M), assembled with -mcpu=cortex-m0plus.
@ Expected cycles from the Cortex-M0+ TRM instruction set summary (CORTEX_M_TIMING.md):
@ ALU 1, LDR/STR 2, LDM/STM/PUSH/POP 1+N, MULS 1 (fast multiplier), B<cond> 1 not taken /
@ 2 taken, B 2, BL 3, BX 2, POP {pc} 3+N. No pipelining of loads on the 2-stage pipeline.
@ Every benchmark ends with `bx lr` to the stop address: 1 cycle (its refill is never
@ charged because the run ends first). r0 points to scratch data.
  .syntax unified
  .thumb
  .text

  .balign 4
  .global m0_alu
  .thumb_func
m0_alu:                     @ 4 x 1 + bx 1 = 5
  movs r1, #3
  adds r2, r1, r2
  eors r3, r2
  lsls r2, r2, #2
  bx lr

  .balign 4
  .global m0_ldr_str
  .thumb_func
m0_ldr_str:                 @ 2 + 2 + 2 + bx 1 = 7 (no LDR;LDR pipelining on the M0+)
  ldr r1, [r0]
  ldr r2, [r0, #4]
  str r1, [r0, #8]
  bx lr

  .balign 4
  .global m0_ldm_stm
  .thumb_func
m0_ldm_stm:                 @ LDM {r1-r3} 1+3 = 4, STM {r1-r3} 4, PUSH {r4-r7} 5, POP 5
  ldm r0!, {r1-r3}          @ + bx 1 = 19
  stm r0!, {r1-r3}
  push {r4-r7}
  pop {r4-r7}
  bx lr

  .balign 4
  .global m0_muls
  .thumb_func
m0_muls:                    @ MULS x2: 1 each (fast multiplier) or 32 each; + bx 1
  muls r1, r2, r1           @ -> 3 with mul_cycles = 1, 65 with mul_cycles = 32
  muls r1, r2, r1
  bx lr

  .balign 4
  .global m0_branch
  .thumb_func
m0_branch:                  @ r0 = 0: taken:     cmp 1 + beq 2 + bx 1 = 4
  cmp r0, #0                @ r0 = 1: not taken: cmp 1 + beq 1 + 3 x nop 1 + bx 1 = 6
  beq 1f
  nop
  nop
  nop
1:
  bx lr

  .balign 4
  .global m0_b
  .thumb_func
m0_b:                       @ B 2, + bx 1 = 3
  b 1f
  nop
1:
  bx lr

  .balign 4
  .global m0_call
  .thumb_func
m0_call:                    @ push {lr} 1+1 = 2, BL 3, [bx lr 2], pop {pc} 1+N(incl. pc)=2
  push {lr}                 @ (refill of the final pop into the stop address not charged:
  bl 1f                     @ the TRM's POP {pc} 3+N = 4 is 2 + that refill 1 + N's pc 1)
  pop {pc}                  @ = 2 + 3 + 2 + 2 = 9
1:
  bx lr

  .balign 16
  .global m0_loop
  .thumb_func
m0_loop:                    @ 16-byte aligned: the loop is one 8-byte flash line.
                            @ movs 1 + 10 x (subs 1 + bne 1) + 9 taken x 1 + bx 1 = 31
  movs r1, #10
1:
  subs r1, #1
  bne 1b
  bx lr

  .global m0_mrs_msr
  .thumb_func
m0_mrs_msr:                 @ MRS 3 + MSR 3 (M0+ TRM) + bx 1 = 7
  mrs r1, primask
  msr primask, r1
  bx lr

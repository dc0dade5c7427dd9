@ Timing microbenchmarks for ARMv7-M (run on the Cortex-M3, M4 and M7 models).
@ Assembled with -mcpu=cortex-m3; loaded as a flat binary into zero-wait SRAM unless the
@ test says otherwise. Every benchmark ends with `bx lr` to the stop address: that return
@ costs its issue cycle (1) but its refill is never charged (the run ends first).
@
@ Expected cycles: "M3/M4" from the Cortex-M4 TRM table of processor instructions (the M3
@ TRM where it differs) plus the pipelining rules of CORTEX_M_TIMING.md; "M7" from the
@ approximate dual-issue rules in sim/timing/m7_costs.cc (no official M7 tables exist).
@ r0 points to scratch data (kDataAddr) unless stated.
  .syntax unified
  .thumb
  .text

  .balign 4
  .global bench_alu
  .thumb_func
bench_alu:                  @ M3/M4: 1+1+1+1 + bx 1 = 5
  adds r1, r1, r2           @ M7: adds@0 | eors pairs @0 | lsls@1 | movs pairs @1 | bx@2 = 3
  eors r3, r3, r2
  lsls r2, r2, #2
  movs r3, #7
  bx lr

  .balign 4
  .global bench_ldr_ldr
  .thumb_func
bench_ldr_ldr:              @ M3/M4: LDR 2 + pipelined LDR 1 + bx 1 = 4
  ldr r2, [r0]              @ M7: ldr@0 | ldr@1 (no load pairing) | bx pairs @1 = 2
  ldr r3, [r0, #4]
  bx lr

  .balign 4
  .global bench_ldr3
  .thumb_func
bench_ldr3:                 @ M3/M4: 2 + 1 + 1 + bx 1 = 5 (TRM: three chained LDRs = 4)
  ldr r1, [r0]              @ M7: @0, @1, @2, bx pairs @2 = 3
  ldr r2, [r0, #4]
  ldr r3, [r0, #8]
  bx lr

  .balign 4
  .global bench_ldr_post
  .thumb_func
bench_ldr_post:             @ second load post-indexed on another base (r3)
  ldr r1, [r0]              @ M3: only the first load of a chain may write back: 2 + 2 + 1 = 5
  ldr r2, [r3], #4          @ M4: it chains: 2 + 1 + 1 = 4.  M7: @0, @1, bx pairs = 2
  bx lr

  .balign 4
  .global bench_ldr_dep
  .thumb_func
bench_ldr_dep:              @ second address = first load's result: no pipelining
  ldr r1, [r0]              @ M3/M4: 2 + 2 + bx 1 = 5
  ldr r2, [r1]              @ M7: @0, @2 (load-use latency 2), bx pairs @2 = 3
  bx lr

  .balign 4
  .global bench_ldr_use
  .thumb_func
bench_ldr_use:              @ data use right after a load: no extra stall on M3/M4
  ldr r1, [r0]              @ M3/M4: 2 + 1 + bx 1 = 4
  adds r2, r1, #1           @ M7: ldr@0, adds@2 (load-use), bx pairs @2 = 3
  bx lr

  .balign 4
  .global bench_alu_addr_dep
  .thumb_func
bench_alu_addr_dep:         @ address from the preceding ALU result: +1 stall on M3/M4
  adds r1, r0, #4           @ M3/M4: 1 + (2+1) + bx 1 = 5
  ldr r2, [r1]              @ M7: adds@0, ldr@1, bx pairs @1 = 2
  bx lr

  .balign 4
  .global bench_str_ldr
  .thumb_func
bench_str_ldr:              @ STR imm 1; a load after a store +1 (measured F407/F103)
  str r1, [r0]              @ M3/M4: 1 + (2+1) + bx 1 = 5
  ldr r2, [r0, #4]          @ M7: str@0, ldr@1 (no memory pairing), bx pairs @1 = 2
  bx lr

  .balign 4
  .global bench_ldr_str_reg
  .thumb_func
bench_ldr_str_reg:          @ STR with register offset 2, pipelined after an LDR -> 1
  ldr r1, [r0]              @ M3/M4: 2 + 1 + bx 1 = 4 (TRM: LDR;STR = 3)
  str r1, [r0, r3]          @ M7: ldr@0, str@2 (reads r1: load-use), bx pairs = 3
  bx lr

  .balign 4
  .global bench_ldrd
  .thumb_func
bench_ldrd:                 @ LDRD 3, never pipelined with its neighbours
  ldrd r2, r3, [r0]         @ M3/M4: 3 + 2 + bx 1 = 6
  ldr r1, [r0, #8]          @ M7: ldrd@0, ldr@1, bx pairs @1 = 2
  bx lr

  .balign 4
  .global bench_ldm
  .thumb_func
bench_ldm:                  @ LDM 1+N: N=1 -> 2, N=4 -> 5, N=7 -> 8
  ldm r0, {r1}              @ M3/M4: 2 + 5 + 8 + bx 1 = 16
  ldm r0, {r1-r4}           @ M7: ceil(N/2) each, alone: 1 + 2 + 4, bx @7 = 8
  ldm r0, {r1-r7}
  bx lr

  .balign 4
  .global bench_stm
  .thumb_func
bench_stm:                  @ STM 1+N, PUSH/POP 1+N
  stm r0, {r1-r3}           @ M3/M4: 4 + 6 + 6 + bx 1 = 17
  push {r4-r7, lr}          @ M7: 2 + 3 + 3 + bx 1 = 9
  pop {r4-r7, lr}
  bx lr

  .balign 4
  .global bench_branch
  .thumb_func
bench_branch:               @ r0 = 0: taken; r0 = 1: not taken
  cmp r0, #0                @ M3/M4 taken:     cmp 1 + beq (1 + P 1) + bx 1 = 4
  beq 1f                    @ M3/M4 not taken: cmp 1 + beq 1 + 3 nops + bx 1 = 6
                            @ M7 taken: cmp|beq 1 + bx 1 + mispredict 8 (cold predictor
                            @ says not taken) = 10; not taken: 1 + nop|nop 1 + nop|bx 1 = 3
  nop
  nop
  nop
1:
  bx lr

  .balign 4
  .global bench_loop
  .thumb_func
bench_loop:                 @ 10 iterations: movs 1 + 10 x (subs 1 + bne 1) + 9 taken P 1
  movs r1, #10              @ + final bx 1 = 1 + 20 + 9 + 1 = 31 (M3/M4)
1:
  subs r1, #1               @ M7: first block 2 (movs | subs+bne pair), 9 x 1, bx 1,
  bne 1b                    @ predictor: 1st taken and last not-taken mispredict 8 each
  bx lr                     @ = 2 + 9 + 1 + 16 = 28

  .balign 4
  .global bench_call
  .thumb_func
bench_call:                 @ push 2 + bl (1 + P 1) + [bx lr 1 + P 2] + pop {pc} 1+N=2
  push {lr}                 @ (its refill into the stop address is not charged)
  bl 1f                     @ M3/M4: 2 + 2 + 3 + 2 = 9
  pop {pc}                  @ M7: push 1, bl 1 (BTB hit), bx 1 (return stack), pop 1 = 4
1:
  bx lr

  .balign 4
  .global bench_wide_target
  .thumb_func
bench_wide_target:          @ taken branch to a 32-bit instruction at a halfword address:
  b.n 1f                    @ one more fetch: b 1 + P 1 + 1 = 3, add.w 1, bx 1 = 5 (M3/M4)
  nop                       @ (skipped)
  nop                       @ (skipped)
1:
  add.w r0, r0, #1          @ at offset 6 from the .balign 4 boundary: halfword aligned
  bx lr                     @ M7: b 1 (BTB hit), add.w | bx pair 1 = 2

  .balign 4
  .global bench_udiv
  .thumb_func
bench_udiv:                 @ UDIV 2-12 cycles from the operands (see DivideCycles) + bx 1
  udiv r2, r0, r1
  bx lr

  .balign 4
  .global bench_sdiv
  .thumb_func
bench_sdiv:
  sdiv r2, r0, r1
  bx lr

  .balign 4
  .global bench_it
  .thumb_func
bench_it:                   @ IT folds onto the 16-bit cmp; both arms cost their slot
  cmp r0, #0                @ M3/M4: cmp 1 + it 0 + moveq 1 + movne 1 + bx 1 = 4
  ite eq                    @ (r0 = 0 or 1: the same 4; r1 = 1 or 2)
  moveq r1, #1              @ M7: cmp@0, it 0, moveq@1 (IT is folded, no pair over flags
  movne r1, #2              @ is modelled: moveq pairs with cmp? reads r1 no -> pairs @0),
  bx lr                     @ movne@1, bx pairs @1 = 2

  .balign 4
  .global bench_it_wide
  .thumb_func
bench_it_wide:              @ IT after a 32-bit instruction cannot fold: 1
  cmp.w r0, #0              @ M3/M4: 1 + 1 + 1 + 1 + bx 1 = 5
  ite eq
  moveq r1, #1
  movne r1, #2
  bx lr

  .balign 4
  .global bench_mla
  .thumb_func
bench_mla:                  @ M3: MUL 1, MLA 2, MLS 2, bx 1 = 6;  M4: 1+1+1+1 = 4
  mul r2, r0, r1            @ M7: mul@0, mla@2 (reads r2: latency 2), mls@4, bx pairs = 5
  mla r3, r0, r1, r2
  mls r3, r0, r1, r3
  bx lr

  .balign 4
  .global bench_umull
  .thumb_func
bench_umull:                @ M3: UMULL 3-5 by operand size; M4: 1. + bx 1
  umull r2, r3, r0, r1
  bx lr

  .balign 4
  .global bench_smlal
  .thumb_func
bench_smlal:                @ M3: SMLAL 4-7 by operand size; M4: 1. + bx 1
  smlal r2, r3, r0, r1
  bx lr

  .balign 16
  .global bench_literal
  .thumb_func
bench_literal:              @ literal-pool loads: their address is known at decode time
  ldr r1, =0x12345678       @ M3/M4 zero-wait: 2 + 1 (pipelined) + bx 1 = 4
  ldr r2, =0x9abcdef0       @ the pool follows at +8 and +12: same 16-byte line as the code
  bx lr
  .ltorg

  .balign 16
  .global bench_flash_loop
  .thumb_func
bench_flash_loop:           @ 16-byte aligned; the whole loop sits in one 16-byte line
  movs r1, #10              @ zero-wait (M3/M4): 1 + 10 x (1 + 1 + 1) + 9 x P 1 + bx 1 = 41
1:
  adds r2, r2, r1
  subs r1, #1
  bne 1b
  bx lr

  .balign 16
  .global bench_flash_big_loop
  .thumb_func
bench_flash_big_loop:       @ 4 iterations of a 40-byte body (three 16-byte lines)
  movs r1, #4               @ 0x00
1:
  .rept 18                  @ 0x02..0x25: 18 x adds (1 each)
  adds r2, r2, r1
  .endr
  subs r1, #1               @ 0x26
  bne 1b                    @ 0x28
  bx lr                     @ 0x2a   zero-wait: 1 + 4 x 20 + 3 x P 1 + 1 = 85
